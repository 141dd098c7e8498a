// Replaced by the reference library.
