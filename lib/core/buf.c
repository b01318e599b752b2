/*
 * Byte buffers for codecs (see buf.h). Every bound check is written as a comparison
 * against what is left (n > len - pos), never as pos + n > len, so a huge n taken from
 * hostile input cannot wrap around.
 */
#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

/* ---- writer ---- */

void sen_buf_init(struct sen_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void sen_buf_init_fixed(struct sen_buf *b, void *mem, size_t cap)
{
	b->data = mem;
	b->len = 0;
	b->cap = mem ? cap : 0;
	b->err = 0;
	b->fixed = true;
}

void sen_buf_free(struct sen_buf *b)
{
	if (!b->fixed) {
		free(b->data);
		b->data = NULL;
		b->cap = 0;
	}
	b->len = 0;
	b->err = 0;
}

void sen_buf_reset(struct sen_buf *b)
{
	b->len = 0;
	b->err = 0;
}

void sen_buf_fail(struct sen_buf *b, int err)
{
	if (!b->err && err)
		b->err = err < 0 ? err : -err;
}

int sen_buf_reserve(struct sen_buf *b, size_t n)
{
	size_t need, cap;
	uint8_t *p;

	if (b->err)
		return b->err;
	if (n <= b->cap - b->len)
		return 0;
	if (b->fixed || n > SIZE_MAX / 2 - b->len) {
		b->err = -SEN_EMSGSIZE;
		return b->err;
	}
	need = b->len + n;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->err = -SEN_ENOMEM;
		return b->err;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Room for n more bytes, or NULL with the error set. */
static uint8_t *grab(struct sen_buf *b, size_t n)
{
	uint8_t *p;

	static uint8_t nothing[1];

	if (sen_buf_reserve(b, n) < 0)
		return NULL;
	if (!b->data)
		return nothing; /* n == 0 on a buffer with no memory yet */
	p = b->data + b->len;
	b->len += n;
	return p;
}

static void be_store(uint8_t *p, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

static void put_be(struct sen_buf *b, uint64_t v, unsigned size)
{
	uint8_t *p = grab(b, size);

	if (p)
		be_store(p, v, size);
}

void sen_buf_put_u8(struct sen_buf *b, uint8_t v)
{
	put_be(b, v, 1);
}

void sen_buf_put_u16(struct sen_buf *b, uint16_t v)
{
	put_be(b, v, 2);
}

void sen_buf_put_u24(struct sen_buf *b, uint32_t v)
{
	put_be(b, v & 0xffffffu, 3);
}

void sen_buf_put_u32(struct sen_buf *b, uint32_t v)
{
	put_be(b, v, 4);
}

void sen_buf_put_u64(struct sen_buf *b, uint64_t v)
{
	put_be(b, v, 8);
}

void sen_buf_put_bytes(struct sen_buf *b, const void *src, size_t n)
{
	uint8_t *p = grab(b, n);

	if (p && n)
		memcpy(p, src, n);
}

void sen_buf_put_zeros(struct sen_buf *b, size_t n)
{
	uint8_t *p = grab(b, n);

	if (p && n)
		memset(p, 0, n);
}

uint8_t *sen_buf_put_space(struct sen_buf *b, size_t n)
{
	uint8_t *p = grab(b, n);

	if (p && n)
		memset(p, 0, n);
	return p;
}

static void set_be(struct sen_buf *b, size_t off, uint64_t v, unsigned size)
{
	if (b->err)
		return;
	if (off > b->len || size > b->len - off) {
		b->err = -SEN_EMSGSIZE;
		return;
	}
	be_store(b->data + off, v, size);
}

void sen_buf_set_u8(struct sen_buf *b, size_t off, uint8_t v)
{
	set_be(b, off, v, 1);
}

void sen_buf_set_u16(struct sen_buf *b, size_t off, uint16_t v)
{
	set_be(b, off, v, 2);
}

void sen_buf_set_u24(struct sen_buf *b, size_t off, uint32_t v)
{
	set_be(b, off, v & 0xffffffu, 3);
}

void sen_buf_set_u32(struct sen_buf *b, size_t off, uint32_t v)
{
	set_be(b, off, v, 4);
}

size_t sen_buf_len(const struct sen_buf *b)
{
	return b->len;
}

uint8_t *sen_buf_data(const struct sen_buf *b)
{
	return b->data;
}

int sen_buf_error(const struct sen_buf *b)
{
	return b->err;
}

uint8_t *sen_buf_detach(struct sen_buf *b, size_t *len)
{
	uint8_t *p = b->data;

	if (b->err || b->fixed || b->len == 0)
		return NULL;
	*len = b->len;
	sen_buf_init(b);
	return p;
}

/* ---- reader ---- */

void sen_buf_reader_init(struct sen_buf_reader *r, const void *data, size_t len)
{
	static const uint8_t nothing[1];

	/* data is never NULL inside, so a 0-byte read always has a pointer to return. */
	r->data = data ? data : nothing;
	r->len = data ? len : 0;
	r->pos = 0;
	r->err = 0;
}

void sen_buf_reader_fail(struct sen_buf_reader *r, int err)
{
	if (!r->err && err)
		r->err = err < 0 ? err : -err;
}

/* The next n bytes (consumed), or NULL with the error set. */
static const uint8_t *take(struct sen_buf_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->err)
		return NULL;
	if (n > r->len - r->pos) {
		r->err = -SEN_EMSGSIZE;
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

static uint64_t get_be(struct sen_buf_reader *r, unsigned size)
{
	const uint8_t *p = take(r, size);
	uint64_t v = 0;

	if (!p)
		return 0;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

uint8_t sen_buf_get_u8(struct sen_buf_reader *r)
{
	return (uint8_t)get_be(r, 1);
}

uint16_t sen_buf_get_u16(struct sen_buf_reader *r)
{
	return (uint16_t)get_be(r, 2);
}

uint32_t sen_buf_get_u24(struct sen_buf_reader *r)
{
	return (uint32_t)get_be(r, 3);
}

uint32_t sen_buf_get_u32(struct sen_buf_reader *r)
{
	return (uint32_t)get_be(r, 4);
}

uint64_t sen_buf_get_u64(struct sen_buf_reader *r)
{
	return get_be(r, 8);
}

void sen_buf_get_bytes(struct sen_buf_reader *r, void *out, size_t n)
{
	const uint8_t *p = take(r, n);

	if (!n)
		return;
	if (p)
		memcpy(out, p, n);
	else
		memset(out, 0, n);
}

const uint8_t *sen_buf_get_ptr(struct sen_buf_reader *r, size_t n)
{
	return take(r, n);
}

void sen_buf_skip(struct sen_buf_reader *r, size_t n)
{
	take(r, n);
}

uint8_t sen_buf_peek_u8(struct sen_buf_reader *r)
{
	if (r->err)
		return 0;
	if (r->pos >= r->len) {
		r->err = -SEN_EMSGSIZE;
		return 0;
	}
	return r->data[r->pos];
}

struct sen_buf_reader sen_buf_get_sub(struct sen_buf_reader *r, size_t n)
{
	struct sen_buf_reader sub;
	const uint8_t *p = take(r, n);

	sen_buf_reader_init(&sub, p, p ? n : 0);
	if (!p)
		sub.err = r->err;
	return sub;
}

size_t sen_buf_left(const struct sen_buf_reader *r)
{
	return r->err ? 0 : r->len - r->pos;
}

size_t sen_buf_pos(const struct sen_buf_reader *r)
{
	return r->pos;
}

int sen_buf_reader_error(const struct sen_buf_reader *r)
{
	return r->err;
}
