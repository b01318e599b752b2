/*
 * Test API "ntest" served by the SBI tests (test_sbi.c over both transports, and the
 * sbi-test-server program that curl talks to). Routes (all JSON):
 *   GET    /ntest/v1/echo/{id}       200 {"id", "method", "query":{…}, "accept", "authority"}
 *   POST   /ntest/v1/items           201 + Location, the body echoed with "created": true;
 *                                    400 INVALID_MSG_FORMAT if not JSON
 *   PUT    /ntest/v1/items/{itemId}  204
 *   DELETE /ntest/v1/items/{itemId}  204
 *   GET    /ntest/v1/items/search    200 {"search": true} (literal beats {itemId})
 *   GET    /ntest/v1/slow/{ms}       200 after ms milliseconds (asynchronous answer);
 *                                    "never": held until routes_release_held()
 *   GET    /ntest/v1/big/{n}         200 with a JSON string of n bytes
 */
#ifndef SEN_TESTS_SBI_ROUTES_H
#define SEN_TESTS_SBI_ROUTES_H

#include "core/loop.h"
#include "sbi/sbi.h"

/* Add the routes to srv; handlers that answer later use `loop`. Returns 0 or < 0. */
int routes_add(struct sen_sbi_server *srv, struct sen_loop *loop);

/* Answer every held ("never") stream; returns how many answers were delivered (not dropped). */
int routes_release_held(void);

/* How many streams are held. */
int routes_held(void);

#endif
