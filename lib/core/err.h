/*
 * Sen error codes. Functions return 0 (or a non-negative count) on success and a
 * negative -SEN_E… code on failure; sen_strerror() names the code. Errors are
 * values: nothing a peer sends may ever reach assert() or abort().
 */
#ifndef SEN_CORE_ERR_H
#define SEN_CORE_ERR_H

enum sen_err {
	SEN_OK = 0,
	SEN_EINVAL,    /* invalid argument (caller's mistake or malformed local input) */
	SEN_ENOMEM,    /* allocation failed */
	SEN_ERANGE,    /* value out of range */
	SEN_EMSGSIZE,  /* length wrong: too short, too long, or overruns the buffer */
	SEN_EPROTO,    /* malformed message from a peer */
	SEN_EAUTH,     /* integrity / MAC check failed */
	SEN_ENOTSUP,   /* valid but not supported (unknown algorithm, scheme …) */
	SEN_ENOENT,    /* not found */
	SEN_EEXIST,    /* already exists */
	SEN_EIO,       /* system call failed; see errno where it applies */
	SEN_EAGAIN,    /* try again later */
	SEN_ETIMEDOUT, /* timer expired */
	SEN_ECONFIG,   /* bad configuration */
	SEN_ECRYPTO,   /* the crypto library reported an internal failure */
	SEN_ESYNC,     /* authentication: sequence number out of range (resync needed) */
	SEN_E_MAX
};

/* Human-readable name of a Sen error code; accepts either sign. Never NULL. */
const char *sen_strerror(int err);

#endif
