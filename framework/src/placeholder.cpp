// placeholder; removed when framework sources land
