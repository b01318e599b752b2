/*
 * Sample PFCP messages (samples.c): a name and a builder that fills a message.
 */
#ifndef SEN_TESTS_PFCP_SAMPLES_H
#define SEN_TESTS_PFCP_SAMPLES_H

#include "pfcp/pfcp.h"

#include <stddef.h>

struct pfcp_sample {
	const char *name;
	void (*build)(struct sen_pfcp_msg *m);
};

extern const struct pfcp_sample pfcp_samples[];
extern const size_t pfcp_n_samples;

#endif
