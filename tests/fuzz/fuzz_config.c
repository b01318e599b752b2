/*
 * libFuzzer target: the YAML configuration loader (lib/core/config). A configuration file
 * is trusted more than a peer, but a typo must never crash a daemon: every input either
 * loads or yields one error message.
 */
#include "core/config.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sen_config *cfg = NULL;
	char err[SEN_CFG_ERR_MAX];

	if (sen_config_parse("fuzz.yaml", (const char *)data, size, 0, &cfg, err, sizeof(err)) == 0)
		sen_config_free(cfg);
	else if (cfg || !memchr(err, '\0', sizeof(err)) || err[0] == '\0')
		__builtin_trap(); /* contract: on error no config and a message */
	return 0;
}
