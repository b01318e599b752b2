/* Sen error code names (see err.h). */
#include "core/err.h"

static const char *const names[SEN_E_MAX] = {
	[SEN_OK] = "success",
	[SEN_EINVAL] = "invalid argument",
	[SEN_ENOMEM] = "out of memory",
	[SEN_ERANGE] = "value out of range",
	[SEN_EMSGSIZE] = "wrong length",
	[SEN_EPROTO] = "malformed message",
	[SEN_EAUTH] = "integrity check failed",
	[SEN_ENOTSUP] = "not supported",
	[SEN_ENOENT] = "not found",
	[SEN_EEXIST] = "already exists",
	[SEN_EIO] = "input/output error",
	[SEN_EAGAIN] = "try again",
	[SEN_ETIMEDOUT] = "timed out",
	[SEN_ECONFIG] = "bad configuration",
	[SEN_ECRYPTO] = "crypto library failure",
	[SEN_ESYNC] = "sequence number out of range",
};

const char *sen_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= SEN_E_MAX || !names[err])
		return "unknown error";
	return names[err];
}
