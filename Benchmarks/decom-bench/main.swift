// The benchmark is written in its own change; see Benchmarks/README.md.
print("decom-bench: not written yet")
