// Which files a pull takes: fnmatch patterns with Python's rules, the model-folder default
// (safetensors and the files a model folder needs, never other weight formats), and the shard
// list of a sharded checkpoint's index.
import Foundation
import XCTest
@testable import LecternHub

final class FileSelectionTests: XCTestCase {
    func testGlobsFollowFnmatch() {
        XCTAssertTrue(Glob("*.json").matches("config.json"))
        XCTAssertTrue(Glob("*.json").matches("1_Pooling/config.json"), "* crosses / as in fnmatch")
        XCTAssertFalse(Glob("*.json").matches("config.json.bak"))
        XCTAssertTrue(Glob("model-0000?-of-00002.safetensors").matches("model-00001-of-00002.safetensors"))
        XCTAssertFalse(Glob("model-0000?-of-00002.safetensors").matches("model-00010-of-00002.safetensors"))
        XCTAssertTrue(Glob("[mt]*.json").matches("tokenizer.json"))
        XCTAssertFalse(Glob("[!mt]*.json").matches("tokenizer.json"))
        XCTAssertTrue(Glob("v[n-p]cab.txt").matches("vocab.txt"))
        XCTAssertFalse(Glob("v[a-c]cab.txt").matches("vocab.txt"))
        XCTAssertTrue(Glob("onnx/").matches("onnx/model.onnx"), "a folder means its contents")
        XCTAssertFalse(Glob("onnx/").matches("onnx"))
        XCTAssertTrue(Glob("*").matches(""))
        XCTAssertTrue(Glob("a*b*c").matches("a-x-b-y-b-c"), "backtracking")
        XCTAssertFalse(Glob("a*b*c").matches("a-x-b-y-c-d"))
        XCTAssertTrue(Glob("[").matches("["), "an unclosed [ is literal")
        XCTAssertFalse(Glob("Config.json").matches("config.json"), "case-sensitive")
    }

    static let repository = [
        ".gitattributes", "1_Pooling/config.json", "README.md", "config.json", "config_sentence_transformers.json",
        "model.safetensors", "modules.json", "onnx/config.json", "onnx/model.onnx", "pytorch_model.bin",
        "rust_model.ot", "sentence_bert_config.json", "special_tokens_map.json", "tf_model.h5", "flax_model.msgpack",
        "tokenizer.json", "tokenizer_config.json", "train_script.py", "vocab.txt", "generation_config.json",
        "merges.txt", "vocab.json", "spiece.model", "added_tokens.json",
    ]

    func testTheModelFolderTakesWhatAModelNeedsAndNoOtherWeights() {
        let files = HubFileSelection.modelFolder.files(in: Self.repository)
        XCTAssertEqual(Set(files), [
            "1_Pooling/config.json", "onnx/config.json", "config.json", "config_sentence_transformers.json", "model.safetensors",
            "modules.json", "sentence_bert_config.json", "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json",
            "vocab.txt", "generation_config.json", "merges.txt", "vocab.json", "spiece.model", "added_tokens.json",
        ])
        XCTAssertEqual(files, Self.repository.filter(files.contains), "in the repository's order")
    }

    func testModuleFoldersCountOnlyForSentenceTransformers() {
        let files = HubFileSelection.modelFolder.files(in: ["config.json", "model.safetensors", "1_Pooling/config.json"])
        XCTAssertEqual(files, ["config.json", "model.safetensors"], "without modules.json, a folder's config.json is not a module's")
    }

    func testShardedWeightsSelectTheIndexThenItsShards() throws {
        let files = HubFileSelection.modelFolder.files(in: [
            "config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
            "model.safetensors.index.json", "pytorch_model.bin.index.json",
        ])
        XCTAssertEqual(files, ["config.json", "model.safetensors.index.json"])
        let index = Data(#"{"metadata": {}, "weight_map": {"b": "model-00002-of-00002.safetensors", "a": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}}"#.utf8)
        XCTAssertEqual(HubFileSelection.shards(inIndex: index), ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        XCTAssertNil(HubFileSelection.shards(inIndex: Data(#"{"weights": {}}"#.utf8)))
    }

    func testPatternsReplaceTheDefault() {
        XCTAssertEqual(HubFileSelection.matching(["*.bin", "README.md"]).files(in: Self.repository), ["README.md", "pytorch_model.bin"])
        XCTAssertEqual(HubFileSelection.matching([]).files(in: Self.repository), [])
    }
}
