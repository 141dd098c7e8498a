// This suite's fixture files (Fixtures/, written by Scripts/fixtures/attention_decoders.py
// friends), loaded through LecternTestSupport.
import Foundation
import LecternTestSupport

extension Fixtures {
    /// Decodes the JSON fixture `name` (e.g. "attention_decoders.json") from this test bundle.
    static func load<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try load(type, from: name, in: Bundle.module)
    }

    /// The URL of the fixture file `name` in this test bundle.
    static func url(_ name: String) throws -> URL { try url(name, in: Bundle.module) }
}
