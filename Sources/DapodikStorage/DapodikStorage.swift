// The storage module: the atomic, conditional record store.
