## history (ar)
