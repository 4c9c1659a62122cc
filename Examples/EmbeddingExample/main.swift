print("embedding example: not yet")
