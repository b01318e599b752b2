/*
 * lib/sbi: the Service Based Interface transport (TS 29.500 clauses 5-6, TS 29.501):
 * HTTP/2 server and client on nghttp2, the in-process local transport, the router,
 * the message model with cJSON helpers, and ProblemDetails. See docs/sbi.md.
 */
#ifndef SEN_SBI_SBI_H
#define SEN_SBI_SBI_H

#include "sbi/client.h"
#include "sbi/msg.h"
#include "sbi/problem.h"
#include "sbi/router.h"
#include "sbi/server.h"

#endif
