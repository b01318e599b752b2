/*
 * Byte buffers for codecs: the one way NAS, NGAP, PFCP, GTP-U and SBI code reads and
 * writes octets. All multi-byte integers are big-endian (network order), as in every
 * 3GPP wire format.
 *
 * Writer (struct sen_buf): either growable (heap memory owned by the buffer) or fixed
 * over caller memory. Every put either appends completely or not at all; the first
 * failure (allocation, or no room in a fixed buffer) sets a sticky error, after which
 * all puts do nothing. An encoder can therefore write a whole message and check
 * sen_buf_error() once at the end.
 *
 * Reader (struct sen_buf_reader): bounds-checked reads over const bytes the reader does
 * not own. Any read past the end sets a sticky error, consumes nothing and yields zeros
 * (zero-filled output for byte reads, NULL for pointer reads); every later read also
 * yields zeros. A decoder can read a whole structure and check the error once; it never
 * reads outside [data, data + len), whatever the input.
 *
 * Both structs are small values meant to live on the stack; their fields are private
 * (read them through the functions). Neither is thread-safe.
 */
#ifndef SEN_CORE_BUF_H
#define SEN_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sen_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int err;    /* 0 or a negative -SEN_E… code; sticky */
	bool fixed; /* caller memory: never grows, never freed */
};

struct sen_buf_reader {
	const uint8_t *data;
	size_t len;
	size_t pos;
	int err; /* 0 or a negative -SEN_E… code; sticky */
};

/* ---- writer ---- */

/* An empty growable buffer. Allocates nothing until the first put. */
void sen_buf_init(struct sen_buf *b);

/*
 * An empty buffer writing into mem[cap], which stays the caller's. A put that does not
 * fit sets the error -SEN_EMSGSIZE and writes nothing.
 */
void sen_buf_init_fixed(struct sen_buf *b, void *mem, size_t cap);

/* Free a growable buffer's memory and make it empty and error-free again. */
void sen_buf_free(struct sen_buf *b);

/* Empty the buffer and clear its error, keeping its memory for reuse. */
void sen_buf_reset(struct sen_buf *b);

/*
 * Make room for `n` more bytes so that the next puts of up to n bytes cannot fail.
 * Returns 0, or the (now sticky) error: -SEN_ENOMEM (growable) or -SEN_EMSGSIZE
 * (fixed, or a size overflow). Returns the existing error if one is already set.
 */
int sen_buf_reserve(struct sen_buf *b, size_t n);

void sen_buf_put_u8(struct sen_buf *b, uint8_t v);
void sen_buf_put_u16(struct sen_buf *b, uint16_t v);
void sen_buf_put_u24(struct sen_buf *b, uint32_t v); /* the low 24 bits */
void sen_buf_put_u32(struct sen_buf *b, uint32_t v);
void sen_buf_put_u64(struct sen_buf *b, uint64_t v);
void sen_buf_put_bytes(struct sen_buf *b, const void *p, size_t n); /* p may be NULL if n == 0 */
void sen_buf_put_zeros(struct sen_buf *b, size_t n);

/*
 * Append `n` bytes for the caller to fill and return a pointer to them (valid until
 * the next put on a growable buffer), or NULL with the error set. The bytes are zeroed.
 */
uint8_t *sen_buf_put_space(struct sen_buf *b, size_t n);

/*
 * Overwrite already-written bytes at offset `off`: for length fields known only after
 * the body is written (remember sen_buf_len() before writing the placeholder). Sets
 * -SEN_EMSGSIZE if [off, off + size) is not inside what has been written.
 */
void sen_buf_set_u8(struct sen_buf *b, size_t off, uint8_t v);
void sen_buf_set_u16(struct sen_buf *b, size_t off, uint16_t v);
void sen_buf_set_u24(struct sen_buf *b, size_t off, uint32_t v);
void sen_buf_set_u32(struct sen_buf *b, size_t off, uint32_t v);

/* Bytes written so far, and a pointer to them (NULL while a growable buffer is empty). */
size_t sen_buf_len(const struct sen_buf *b);
uint8_t *sen_buf_data(const struct sen_buf *b);

/* 0, or the first error (-SEN_ENOMEM, -SEN_EMSGSIZE, or one set by sen_buf_fail). */
int sen_buf_error(const struct sen_buf *b);

/* Set the sticky error to `err` (negative) unless one is set already; 0 is ignored. */
void sen_buf_fail(struct sen_buf *b, int err);

/*
 * Take a growable buffer's memory: returns the bytes (the caller free()s them) and
 * stores their count in *len, and leaves `b` empty as after sen_buf_init(). Returns
 * NULL (and frees nothing) if the buffer has an error, is fixed, or is empty.
 */
uint8_t *sen_buf_detach(struct sen_buf *b, size_t *len);

/* ---- reader ---- */

/* Read data[len]. The bytes must outlive the reader and any pointer it returns. */
void sen_buf_reader_init(struct sen_buf_reader *r, const void *data, size_t len);

uint8_t sen_buf_get_u8(struct sen_buf_reader *r);
uint16_t sen_buf_get_u16(struct sen_buf_reader *r);
uint32_t sen_buf_get_u24(struct sen_buf_reader *r);
uint32_t sen_buf_get_u32(struct sen_buf_reader *r);
uint64_t sen_buf_get_u64(struct sen_buf_reader *r);

/* Copy the next n bytes to out; on overrun out is zero-filled (out may be NULL if n == 0). */
void sen_buf_get_bytes(struct sen_buf_reader *r, void *out, size_t n);

/* The next n bytes in place (no copy), or NULL on overrun. Not NULL for n == 0. */
const uint8_t *sen_buf_get_ptr(struct sen_buf_reader *r, size_t n);

/* Skip n bytes. */
void sen_buf_skip(struct sen_buf_reader *r, size_t n);

/* The next byte without consuming it; 0 (and the error set) at the end. */
uint8_t sen_buf_peek_u8(struct sen_buf_reader *r);

/*
 * Consume the next n bytes of `r` and return a reader over just them (for an IE or a
 * length-delimited container): reads from it can never reach past those n bytes. On
 * overrun the error is set on `r`, and the returned reader is empty with the same
 * error. The sub-reader has its own error flag: an overrun inside it is not seen on `r`
 * (use sen_buf_reader_fail(r, sen_buf_reader_error(&sub)) to pass it up).
 */
struct sen_buf_reader sen_buf_get_sub(struct sen_buf_reader *r, size_t n);

/* Bytes left to read (0 after an error), and bytes consumed so far. */
size_t sen_buf_left(const struct sen_buf_reader *r);
size_t sen_buf_pos(const struct sen_buf_reader *r);

/* 0, or the first error (-SEN_EMSGSIZE on overrun, or one set by sen_buf_reader_fail). */
int sen_buf_reader_error(const struct sen_buf_reader *r);

/*
 * Set the sticky error to `err` (negative, e.g. -SEN_EPROTO for a bad value found by
 * the decoder) unless one is set already; 0 is ignored. Later reads then yield zeros.
 */
void sen_buf_reader_fail(struct sen_buf_reader *r, int err);

#endif
