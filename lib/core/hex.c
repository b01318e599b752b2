/* Hexadecimal text <-> bytes (see hex.h). */
#include "core/hex.h"
#include "core/err.h"

#include <string.h>

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sen_hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex);

	for (size_t i = 0; i < n; i++)
		if (nibble(hex[i]) < 0)
			return -SEN_EINVAL;
	if (n % 2)
		return -SEN_EINVAL;
	if (n / 2 > cap)
		return -SEN_EMSGSIZE;
	for (size_t i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
	return (int)(n / 2);
}

int sen_hex_decode_exact(const char *hex, uint8_t *out, size_t len)
{
	size_t n = strlen(hex);

	for (size_t i = 0; i < n; i++)
		if (nibble(hex[i]) < 0)
			return -SEN_EINVAL;
	if (n % 2)
		return -SEN_EINVAL;
	if (n / 2 != len)
		return -SEN_EMSGSIZE;
	return sen_hex_decode(hex, out, len) < 0 ? -SEN_EINVAL : 0;
}

char *sen_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}
