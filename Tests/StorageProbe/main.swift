print("storage probe")
