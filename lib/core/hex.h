/*
 * Hexadecimal text <-> bytes. Used by tools, tests and config (keys are written in hex).
 */
#ifndef SEN_CORE_HEX_H
#define SEN_CORE_HEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode the hex string `hex` (upper or lower case, no separators, even number of
 * digits) into `out`, which holds `cap` bytes. Returns the number of bytes written,
 * -SEN_EINVAL if a character is not a hex digit or the count of digits is odd,
 * -SEN_EMSGSIZE if the result would not fit in `cap`.
 */
int sen_hex_decode(const char *hex, uint8_t *out, size_t cap);

/*
 * As sen_hex_decode, but the result must be exactly `len` bytes (-SEN_EMSGSIZE if not).
 * Returns 0 on success.
 */
int sen_hex_decode_exact(const char *hex, uint8_t *out, size_t len);

/*
 * Encode `len` bytes as lower-case hex into `out` (2*len+1 bytes, NUL-terminated).
 * Returns `out`.
 */
char *sen_hex_encode(const uint8_t *in, size_t len, char *out);

#endif
