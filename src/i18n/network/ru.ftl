## network (ru)
