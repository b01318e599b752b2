/*
 * Sample NAS-5GS messages with realistic contents, one or more per message type of
 * TS 24.501 clause 8, shared by the round-trip tests, the tshark oracle (through
 * nas-dump) and the fuzz seed corpus.
 */
#ifndef SEN_TESTS_NAS_SAMPLES_H
#define SEN_TESTS_NAS_SAMPLES_H

#include "nas/nas.h"

#include <stddef.h>

struct nas_sample {
	const char *name;
	void (*build)(struct sen_nas_msg *m);
};

/* Decoded by tshark in the oracle test (tshark_check.py) as well as round-tripped. */
extern const struct nas_sample nas_samples[];
extern const size_t nas_n_samples;
/*
 * Messages that carry every Release 17 IE of the TS 24.501 clause 8 tables. Wireshark
 * 4.0's nas-5gs dissector (Debian 12) stops at the first of many of them ("extraneous
 * data"), so these are round-tripped and fuzz seeds but not given to the tshark oracle.
 */
extern const struct nas_sample nas_samples_r17[];
extern const size_t nas_n_samples_r17;

/* Public hex messages decoded as vectors: where they come from, and what they are. */
struct nas_vector {
	const char *name;
	const char *hex;
	const char *source;
	uint8_t type; /* expected message type of the plain message */
};
extern const struct nas_vector nas_vectors[];
extern const size_t nas_n_vectors;

#endif
