/* sigping.c — the machine's signal round-trip latency: one thread spins,
 * the other sends it a signal and waits until its handler posts a
 * semaphore, 2000 times. A stop-the-world by signals cannot be faster than
 * this, so tools/bench/gc.sh prints it next to the pause percentiles. */
#include <pthread.h>
#include <signal.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static sem_t s; static pthread_t th; static volatile int stop;
static void h(int x){(void)x; sem_post(&s);}
static void *spin(void*a){(void)a; volatile unsigned long x=0; while(!stop) x++; return NULL;}
static double now(void){struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec*1e6+t.tv_nsec/1e3;}
static int cmp(const void*a,const void*b){double x=*(double*)a,y=*(double*)b;return x<y?-1:x>y;}
int main(void){ sem_init(&s,0,0); signal(SIGUSR1,h); pthread_create(&th,0,spin,0);
 double v[2000]; for(int i=0;i<2000;i++){ double t0=now(); pthread_kill(th,SIGUSR1); sem_wait(&s); v[i]=now()-t0; struct timespec ts={0,500000}; nanosleep(&ts,0);} 
 stop=1; qsort(v,2000,8,cmp); printf("signal round trip us: p50 %.0f p90 %.0f p99 %.0f max %.0f\n", v[1000], v[1800], v[1980], v[1999]); }
