/* Unit tests for lib/core metrics: registry, text exposition, and the /metrics server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/loop.h"
#include "core/metrics.h"
#include "core/err.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int teardown(void **state)
{
	sen_metrics_reset();
	return 0;
}

static void test_render(void **state)
{
	struct sen_metric *req = sen_metric_new(SEN_METRIC_COUNTER, "sen_sbi_requests_total",
						"SBI requests served", "service,status");
	struct sen_metric *ues =
	    sen_metric_new(SEN_METRIC_GAUGE, "fivegs_amffunction_amf_ues", "UEs", NULL);
	assert_non_null(req);
	assert_non_null(ues);
	sen_metric_add(sen_metric_series(req, (const char *[]){"nudm-ueau", "200"}), 3);
	sen_metric_add(sen_metric_series(req, (const char *[]){"nudm-ueau", "404"}), 1);
	sen_metric_add(sen_metric_series(req, (const char *[]){"nudm-ueau", "200"}), 2);
	sen_metric_set(sen_metric_single(ues), 42);
	sen_metric_set(sen_metric_single(ues), 41);

	char *text = sen_metrics_render(NULL);
	assert_non_null(text);
	assert_string_equal(text, "# HELP sen_sbi_requests_total SBI requests served\n"
				  "# TYPE sen_sbi_requests_total counter\n"
				  "sen_sbi_requests_total{service=\"nudm-ueau\",status=\"200\"} 5\n"
				  "sen_sbi_requests_total{service=\"nudm-ueau\",status=\"404\"} 1\n"
				  "# HELP fivegs_amffunction_amf_ues UEs\n"
				  "# TYPE fivegs_amffunction_amf_ues gauge\n"
				  "fivegs_amffunction_amf_ues 41\n");
	free(text);
}

static void test_registry_rules(void **state)
{
	struct sen_metric *a = sen_metric_new(SEN_METRIC_COUNTER, "x_total", "x", "a,b");
	assert_non_null(a);
	/* The same name and shape returns the same family; another shape is refused. */
	assert_ptr_equal(sen_metric_new(SEN_METRIC_COUNTER, "x_total", "x", "a,b"), a);
	assert_null(sen_metric_new(SEN_METRIC_GAUGE, "x_total", "x", "a,b"));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "x_total", "x", "a"));
	/* Bad names and too many labels. */
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "1abc", "", NULL));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "a-b", "", NULL));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "", "", NULL));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "ok", "", "a,b,c,d,e"));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "ok", "", "a:b"));
	assert_null(sen_metric_new(SEN_METRIC_COUNTER, "ok", "", "a,,b"));
	/* NULL everywhere is harmless. */
	assert_null(sen_metric_series(NULL, NULL));
	assert_null(sen_metric_series(a, NULL));
	sen_metric_add(NULL, 1);
	sen_metric_set(NULL, 1);
	assert_int_equal(sen_metric_value(NULL), 0);
}

static void test_escaping(void **state)
{
	struct sen_metric *f = sen_metric_new(SEN_METRIC_GAUGE, "esc", "line1\nback\\slash", "v");
	sen_metric_set(sen_metric_series(f, (const char *[]){"q\"uo\nte\\"}), -7);
	char *text = sen_metrics_render(NULL);
	assert_non_null(text);
	assert_string_equal(text, "# HELP esc line1\\nback\\\\slash\n# TYPE esc gauge\n"
				  "esc{v=\"q\\\"uo\\nte\\\\\"} -7\n");
	free(text);
}

static struct sen_metric *shared;

static void *adder(void *arg)
{
	const char *vals[] = {arg};
	for (int i = 0; i < 100000; i++)
		sen_metric_add(sen_metric_series(shared, vals), 1);
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[4];
	const char *names[4] = {"a", "b", "a", "b"};

	shared = sen_metric_new(SEN_METRIC_COUNTER, "threads_total", "", "k");
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, adder, (void *)names[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(sen_metric_value(sen_metric_series(shared, (const char *[]){"a"})),
			 200000);
	assert_int_equal(sen_metric_value(sen_metric_series(shared, (const char *[]){"b"})),
			 200000);
}

/* A blocking HTTP client in a thread while the loop runs in the test thread. */
struct fetch {
	uint16_t port;
	const char *request;
	char reply[8192];
	volatile int done;
};

static void *fetch_thread(void *arg)
{
	struct fetch *f = arg;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(f->port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		size_t off = 0;
		if (send(fd, f->request, strlen(f->request), 0) >= 0) {
			ssize_t n;
			while (off < sizeof(f->reply) - 1 &&
			       (n = recv(fd, f->reply + off, sizeof(f->reply) - 1 - off, 0)) > 0)
				off += (size_t)n;
		}
		f->reply[off] = '\0';
	}
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void fetch(struct sen_loop *loop, uint16_t port, const char *request, struct fetch *f)
{
	pthread_t t;

	memset(f, 0, sizeof(*f));
	f->port = port;
	f->request = request;
	pthread_create(&t, NULL, fetch_thread, f);
	for (int i = 0; i < 500 && !__atomic_load_n(&f->done, __ATOMIC_ACQUIRE); i++)
		sen_loop_run_once(loop, 10);
	pthread_join(t, NULL);
}

static void test_server(void **state)
{
	struct sen_loop *loop;
	struct sen_metrics_server *srv;
	struct fetch f;

	assert_int_equal(sen_loop_new(&loop), 0);
	assert_int_equal(sen_metrics_server_start(loop, "127.0.0.1", 0, &srv), 0);
	uint16_t port = sen_metrics_server_port(srv);
	assert_true(port != 0);
	sen_metric_add(
	    sen_metric_single(sen_metric_new(SEN_METRIC_COUNTER, "served_total", "h", NULL)), 9);

	fetch(loop, port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", &f);
	assert_non_null(strstr(f.reply, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(f.reply, "text/plain; version=0.0.4"));
	assert_non_null(strstr(f.reply, "\r\n\r\n# HELP served_total h\n"));
	assert_non_null(strstr(f.reply, "served_total 9\n"));

	fetch(loop, port, "GET /other HTTP/1.1\r\n\r\n", &f);
	assert_non_null(strstr(f.reply, "HTTP/1.1 404 "));
	fetch(loop, port, "POST /metrics HTTP/1.1\r\n\r\n", &f);
	assert_non_null(strstr(f.reply, "HTTP/1.1 405 "));
	assert_non_null(strstr(f.reply, "Allow: GET"));
	fetch(loop, port, "garbage\r\n\r\n", &f);
	assert_non_null(strstr(f.reply, "HTTP/1.1 400 "));

	/* An oversized request is refused, and the server still serves afterwards. */
	char *big = malloc(20000);
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	memset(big + 26, 'a', 20000 - 27);
	big[19999] = '\0';
	fetch(loop, port, big, &f);
	free(big);
	assert_non_null(strstr(f.reply, "HTTP/1.1 431 "));
	fetch(loop, port, "GET /metrics HTTP/1.0\r\n\r\n", &f);
	assert_non_null(strstr(f.reply, "served_total 9\n"));

	sen_metrics_server_stop(srv);
	assert_int_equal(sen_metrics_server_start(loop, "not-an-ip", 0, &srv), -SEN_EINVAL);
	sen_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_render, teardown),
	    cmocka_unit_test_teardown(test_registry_rules, teardown),
	    cmocka_unit_test_teardown(test_escaping, teardown),
	    cmocka_unit_test_teardown(test_threads, teardown),
	    cmocka_unit_test_teardown(test_server, teardown),
	};
	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
