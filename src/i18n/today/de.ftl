## today (de)
