/*
 * One line per headline figure for `make bench`'s summary table (bench/run.py).
 *
 * When the environment names a file in SEN_BENCH_SUMMARY, bench_summary() appends one JSON
 * object per call to it (JSON Lines): the benchmark, the item, its value and unit, the ratio
 * to the same run's baseline (or none), the goal as text and whether it was met (or none).
 * Without the variable it does nothing, so each benchmark still runs on its own.
 */
#ifndef SEN_BENCH_SUMMARY_H
#define SEN_BENCH_SUMMARY_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static inline void bench_summary_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* ratio: NAN when the item has no baseline; met: 1, 0, or -1 when it has no goal. */
static inline void bench_summary(const char *bench, const char *item, double value,
				 const char *unit, double ratio, const char *goal, int met)
{
	const char *path = getenv("SEN_BENCH_SUMMARY");
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "a")))
		return;
	fputs("{\"bench\":", f);
	bench_summary_str(f, bench);
	fputs(",\"item\":", f);
	bench_summary_str(f, item);
	fprintf(f, ",\"value\":%.6g,\"unit\":", isfinite(value) ? value : -1.0);
	bench_summary_str(f, unit);
	if (isfinite(ratio))
		fprintf(f, ",\"ratio\":%.4f", ratio);
	else
		fputs(",\"ratio\":null", f);
	fputs(",\"goal\":", f);
	bench_summary_str(f, goal ? goal : "");
	fprintf(f, ",\"met\":%s}\n", met < 0 ? "null" : met ? "true" : "false");
	fclose(f);
}

#endif
