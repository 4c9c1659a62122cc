print("dapodik-verify: not yet")
