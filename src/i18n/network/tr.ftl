## network (tr)
