## history (de)
