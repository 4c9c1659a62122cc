// The codes module: code generation, challenges, keyed digests and the pure policy.
