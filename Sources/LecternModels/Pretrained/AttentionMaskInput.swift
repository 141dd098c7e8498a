// Hugging Face's `attention_mask` argument as the fused attention kernel reads it.
//
// Reference: transformers' masking utilities (modeling_attn_mask_utils.py): a (B, S) mask of
// 1 = token, 0 = padding, broadcast to every head and query. The kernel takes it as an
// "allowed" (B, 1, 1, S) tensor read through broadcast strides (LecternCore's Tensor.attention),
// so it is never expanded to (B, heads, T, S).

import LecternCore

/// The (B, S) attention mask as the kernel's (B, 1, 1, S) "allowed" tensor, or nil when nothing
/// is padded (then no mask is read at all).
func allowedKeys(_ mask: [[Int]]) -> Tensor? {
    let flat = mask.flatMap { $0 }
    guard flat.contains(0) else { return nil }
    return Tensor(shape: [mask.count, 1, 1, mask.first?.count ?? 0], scalars: flat.map { Float($0) })   // (B, 1, 1, S)
}
