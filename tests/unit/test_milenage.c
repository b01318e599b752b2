#include <stdio.h>
int main(void){printf("1..1\nnot ok 1 - milenage tests not written yet\n");return 1;}
