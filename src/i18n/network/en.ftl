## network (en)
