// GPT-2's byte ↔ printable-character table: `bytes_to_unicode()` in openai/gpt-2 encoder.py,
// `bytes_char()` in Hugging Face tokenizers' pre_tokenizers/byte_level.rs.
//
// Byte-level BPE works on bytes, but its vocabulary files are text. GPT-2 therefore spells each
// byte as one printable character: the 188 bytes that are already printable Latin-1 ("!"…"~",
// "¡"…"¬", "®"…"ÿ") stand for themselves, and the other 68 (controls, space, DEL, NBSP, soft
// hyphen) are moved, in byte order, to U+0100…U+0143. So the space byte 0x20 is "Ġ" (U+0120),
// "\n" is "Ċ" (U+010A), and a token such as "Ġworld" is the bytes " world".

/// The 256-entry byte ↔ character table of GPT-2.
///
/// ```swift
/// ByteAlphabet.scalar(for: 0x20)                      // "Ġ" (U+0120)
/// ByteAlphabet.byte(for: "Ġ")                         // 0x20
/// ByteAlphabet.encode(Array("hi there".utf8))         // "hiĠthere"
/// ByteAlphabet.decode("hiĠthere").map { Array($0) }   // bytes of "hi there"
/// ```
public enum ByteAlphabet {
    /// The character standing for each byte, indexed by the byte.
    ///
    /// ```swift
    /// ByteAlphabet.scalars[0x0A]   // "Ċ"
    /// ```
    public static let scalars: [Unicode.Scalar] = {
        var scalars = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                scalars[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                scalars[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return scalars
    }()

    /// The UTF-8 bytes of each byte's character, indexed by the byte: what a pre-token's bytes
    /// become in a vocabulary key.
    static let utf8: [[UInt8]] = scalars.map { Array(String($0).utf8) }

    /// Byte for a character code below 0x144 (the table's range), or -1.
    private static let bytesByScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalars.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// The character standing for `byte`.
    ///
    /// ```swift
    /// ByteAlphabet.scalar(for: UInt8(ascii: "a"))   // "a"
    /// ```
    public static func scalar(for byte: UInt8) -> Unicode.Scalar { scalars[Int(byte)] }

    /// The byte `scalar` stands for, or nil when it is not one of the 256 characters.
    ///
    /// ```swift
    /// ByteAlphabet.byte(for: "Ċ")   // 0x0A
    /// ByteAlphabet.byte(for: "€")   // nil
    /// ```
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < bytesByScalar.count, bytesByScalar[value] >= 0 else { return nil }
        return UInt8(bytesByScalar[value])
    }

    /// `bytes` spelled in the alphabet: one character per byte.
    ///
    /// ```swift
    /// ByteAlphabet.encode([0xE2, 0x82, 0xAC])   // "â‚¬" — the three bytes of "€"
    /// ```
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalars[Int(byte)]) }
        return String(text)
    }

    /// The bytes `text` spells, or nil if a character of `text` is not in the alphabet.
    ///
    /// ```swift
    /// ByteAlphabet.decode("Ġworld")   // [0x20, 0x77, 0x6F, 0x72, 0x6C, 0x64]
    /// ByteAlphabet.decode("<€>")      // nil
    /// ```
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The bytes a token stands for when decoding, as Hugging Face's ByteLevel decoder does it:
    /// each character mapped back to its byte, or — if any character is outside the alphabet
    /// (an added token such as "<mask>" typed by hand) — the token's own UTF-8 bytes.
    ///
    /// ```swift
    /// ByteAlphabet.decodedBytes(of: "Ġhi")   // [0x20, 0x68, 0x69]
    /// ByteAlphabet.decodedBytes(of: "€")     // [0xE2, 0x82, 0xAC]
    /// ```
    public static func decodedBytes(of token: String) -> [UInt8] {
        decode(token) ?? Array(token.utf8)
    }
}
