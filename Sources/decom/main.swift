print("decom")
