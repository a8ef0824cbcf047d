## network (de)
