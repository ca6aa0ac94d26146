// placeholder: replaced by the launcher implementation
int main() { return 0; }
