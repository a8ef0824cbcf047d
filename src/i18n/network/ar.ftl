## network (ar)
