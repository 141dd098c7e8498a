/// GPT-2's byte-to-unicode table: entry b is the printable character that stands for byte b.
/// The 188 bytes that are already printable Latin-1 characters stand for themselves; the other
/// 68 (controls, space, DEL, the C1 block, no-break space, soft hyphen) get the characters
/// U+0100, U+0101, … in the order of their byte values.
func gpt2ByteToUnicode() -> [Character] {
    // '!'...'~', '¡'...'¬' and '®'...'ÿ': visible, and each is one Unicode scalar whose number
    // is the byte's value.
    let printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
    let keepsItself = Set(printable)
    var table: [Character] = []
    var next = 0x100   // the first code point past Latin-1
    for byte in 0...255 {
        if keepsItself.contains(byte) {
            table.append(Character(Unicode.Scalar(UInt8(byte))))
        } else {
            table.append(Character(Unicode.Scalar(UInt32(next))!))
            next += 1
        }
    }
    return table
}

/// `text` as GPT-2 spells it: every UTF-8 byte of it replaced by its table character.
func byteLevelString(_ text: String) -> String {
    let table = gpt2ByteToUnicode()
    return String(text.utf8.map { table[Int($0)] })
}
