## history (tr)
