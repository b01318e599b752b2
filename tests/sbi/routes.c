/* Test API "ntest" for the SBI tests (see routes.h). */
#include "routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct later {
	struct sen_timer t;
	struct sen_sbi_stream *st;
	struct later *next;
};

static struct sen_loop *test_loop;
static struct later *held;
static int n_held;
static int next_item = 1;

static void on_echo(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = cJSON_CreateObject(), *q = cJSON_AddObjectToObject(j, "query");
	const char *name, *value, *accept = sen_sbi_msg_header(req, "accept");

	cJSON_AddStringToObject(j, "id", sen_sbi_msg_var(req, "id"));
	cJSON_AddStringToObject(j, "method", sen_sbi_method_name(sen_sbi_msg_method(req)));
	cJSON_AddStringToObject(j, "path", sen_sbi_msg_path(req));
	cJSON_AddStringToObject(j, "authority", sen_sbi_msg_authority(req));
	if (accept)
		cJSON_AddStringToObject(j, "accept", accept);
	for (size_t i = 0; sen_sbi_msg_query_at(req, i, &name, &value); i++)
		cJSON_AddStringToObject(q, name, value);
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

static void on_create(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j;
	struct sen_sbi_msg *rsp;
	char loc[64];

	if (sen_sbi_msg_json(req, &j) < 0 || !cJSON_IsObject(j)) {
		cJSON_Delete(j);
		sen_sbi_stream_respond_bad_json(st, "body is not a JSON object");
		return;
	}
	cJSON_AddTrueToObject(j, "created");
	rsp = sen_sbi_response_new(201);
	snprintf(loc, sizeof(loc), "/ntest/v1/items/%d", next_item++);
	sen_sbi_msg_set_header(rsp, "location", loc);
	sen_sbi_msg_set_json(rsp, j, NULL);
	cJSON_Delete(j);
	sen_sbi_stream_respond(st, rsp);
}

static void on_no_content(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	sen_sbi_stream_respond_status(st, 204);
}

static void on_search(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddTrueToObject(j, "search");
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
}

static void on_later(struct sen_loop *loop, struct sen_timer *t, void *arg)
{
	struct later *l = arg;
	cJSON *j = cJSON_CreateObject();

	cJSON_AddTrueToObject(j, "late");
	sen_sbi_stream_respond_json(l->st, 200, j);
	cJSON_Delete(j);
	free(l);
}

static void on_slow(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	const char *ms = sen_sbi_msg_var(req, "ms");
	struct later *l = calloc(1, sizeof(*l));

	l->st = st;
	if (strcmp(ms, "never") == 0) {
		l->next = held;
		held = l;
		n_held++;
		return;
	}
	sen_timer_init(&l->t, test_loop, on_later, l);
	sen_timer_start(&l->t, strtoul(ms, NULL, 10));
}

static void on_big(struct sen_sbi_stream *st, struct sen_sbi_msg *req, void *arg)
{
	size_t n = strtoul(sen_sbi_msg_var(req, "n"), NULL, 10);
	char *s = malloc(n + 1);
	cJSON *j;

	memset(s, 'x', n);
	s[n] = '\0';
	j = cJSON_CreateString(s);
	sen_sbi_stream_respond_json(st, 200, j);
	cJSON_Delete(j);
	free(s);
}

int routes_release_held(void)
{
	int delivered = 0;

	while (held) {
		struct later *l = held;

		held = l->next;
		if (sen_sbi_stream_respond_status(l->st, 200) == 0)
			delivered++;
		free(l);
	}
	n_held = 0;
	return delivered;
}

int routes_held(void)
{
	return n_held;
}

int routes_add(struct sen_sbi_server *srv, struct sen_loop *loop)
{
	int rv = 0;

	test_loop = loop;
	rv |= sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/echo/{id}", on_echo, NULL);
	rv |= sen_sbi_server_route(srv, SEN_SBI_POST, "/ntest/v1/items", on_create, NULL);
	rv |=
	    sen_sbi_server_route(srv, SEN_SBI_PUT, "/ntest/v1/items/{itemId}", on_no_content, NULL);
	rv |= sen_sbi_server_route(srv, SEN_SBI_DELETE, "/ntest/v1/items/{itemId}", on_no_content,
				   NULL);
	rv |= sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/items/search", on_search, NULL);
	rv |= sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/slow/{ms}", on_slow, NULL);
	rv |= sen_sbi_server_route(srv, SEN_SBI_GET, "/ntest/v1/big/{n}", on_big, NULL);
	return rv ? -1 : 0;
}
