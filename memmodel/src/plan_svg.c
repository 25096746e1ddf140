/*
 * The memory map before and after a plan, as SVG (mm_plan_report.h).
 *
 * The address space is cut at every bound of every region in either map;
 * each piece is one row, and a row shows in each column the region that
 * decides there (mm_decide), coloured by its owner, and whether the
 * normal world may access it. Rows are not to scale (a 4 KiB device tree
 * and a 1 GiB DRAM would not both be visible): a row's height grows with
 * the logarithm of its size, and its size is printed beside it.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "mm_plan_report.h"

typedef unsigned long long ull;

#define MAX_BOUNDS	(4 * MM_REGIONS_MAX + 8)
#define COL_W		250
#define ADDR_W		110
#define TITLE_H		56

struct cell {
	const struct mm_region *region;	/* NULL: no decision */
	bool ns_access;
};

static const char *owner_colour(const struct mm_region *r)
{
	if (!r)
		return "#9e9e9e";
	switch (r->owner) {
	case MM_OWNER_SECURE: return "#c62828";
	case MM_OWNER_BOOT: return "#ef6c00";
	case MM_OWNER_SHARED: return "#2e7d32";
	case MM_OWNER_NORMAL:
	default: return "#1565c0";
	}
}

static size_t add_bound(uint64_t *b, size_t n, uint64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (b[i] == x)
			return n;
	if (n < MAX_BOUNDS)
		b[n++] = x;
	return n;
}

static size_t add_set_bounds(const struct mm_regions *rs, uint64_t *b,
			     size_t n)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct mm_region *r = &rs->r[i];
		if (r->number == 0)
			continue;
		n = add_bound(b, n, r->start);
		n = add_bound(b, n, r->start + r->size);
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static struct cell decide(const struct mm_regions *rs, uint64_t addr)
{
	struct mm_decision d;
	struct cell c = { NULL, false };
	if (mm_decide(rs, addr, &d) == MM_REGIONS_OK) {
		c.region = d.region;
		c.ns_access = d.ns_read || d.ns_write;
	}
	return c;
}

static bool same_cell(struct cell a, struct cell b)
{
	return a.region == b.region && a.ns_access == b.ns_access;
}

static double row_height(uint64_t size)
{
	return 30.0 + 5.0 * log2(1.0 + (double)size / 65536.0);
}

static void size_label(char *out, size_t len, uint64_t size)
{
	if (size >= (1ull << 30) && size % (1ull << 30) == 0)
		snprintf(out, len, "%llu GiB", (ull)(size >> 30));
	else if (size >= (1ull << 20))
		snprintf(out, len, "%.2f MiB", (double)size / 1048576.0);
	else
		snprintf(out, len, "%.0f KiB", (double)size / 1024.0);
}

static void draw_cell(FILE *f, double x, double y, double h, struct cell c)
{
	const char *ink = c.ns_access || !c.region ? "#000" : "#fff";
	fprintf(f, "<rect x=\"%.0f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
		"fill=\"%s\" fill-opacity=\"%s\" stroke=\"#222\"/>\n", x, y,
		COL_W, h, owner_colour(c.region),
		c.ns_access ? "0.35" : "0.9");
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"12\" "
		"fill=\"%s\">%s (%s)</text>\n", x + 6, y + h / 2 - 1, ink,
		c.region ? c.region->name : "undefined",
		c.region ? mm_owner_name(c.region->owner) : "regions overlap");
	fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"10\" "
		"fill=\"%s\">normal world: %s</text>\n", x + 6, y + h / 2 + 11,
		ink, !c.region ? "undefined"
		     : c.ns_access ? "read/write" : "denied");
}

/* The rows between bounds, merged where neither column changes. */
static size_t rows(const struct mm_regions *a, const struct mm_regions *b,
		   uint64_t *bounds, size_t n, uint64_t *starts)
{
	size_t k = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (k && same_cell(decide(a, bounds[i]),
				   decide(a, starts[k - 1])) &&
		    same_cell(decide(b, bounds[i]), decide(b, starts[k - 1])))
			continue;
		starts[k++] = bounds[i];
	}
	starts[k] = bounds[n - 1];
	return k;
}

int mm_plan_write_svg(FILE *f, const struct mm_platform *p,
		      const struct mm_plan *pl, const char *model)
{
	struct mm_regions before;
	mm_platform_regions(p, &before);
	uint64_t space = 1ull << p->pa_bits;
	uint64_t b[MAX_BOUNDS], starts[MAX_BOUNDS + 1];
	size_t n = add_bound(b, 0, 0);
	n = add_bound(b, n, space);
	n = add_bound(b, n, p->dram_base);
	n = add_bound(b, n, p->dram_base + p->dram_size);
	n = add_set_bounds(&before, b, n);
	n = add_set_bounds(&pl->regions, b, n);
	qsort(b, n, sizeof b[0], cmp_u64);
	size_t k = rows(&before, &pl->regions, b, n, starts);

	double height = TITLE_H + 20;
	for (size_t i = 0; i < k; i++)
		height += row_height(starts[i + 1] - starts[i]);
	int width = ADDR_W + 2 * COL_W + 30 + 90;
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%.0f\" font-family=\"sans-serif\">\n", width, height);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
		"<text x=\"8\" y=\"20\" font-size=\"15\" font-weight=\"bold\">"
		"%s on %s: physical memory before and after the plan</text>\n",
		model ? model : "model", p->name);
	fprintf(f, "<text x=\"8\" y=\"38\" font-size=\"11\">Rows not to "
		"scale. Colour: owner of the deciding region (red secure, "
		"orange boot, green shared, blue normal).</text>\n");
	double x0 = ADDR_W, x1 = ADDR_W + COL_W + 30;
	fprintf(f, "<text x=\"%.0f\" y=\"%d\" font-size=\"13\">before "
		"(TZDRAM 0x%llx, %llu MiB)</text>\n<text x=\"%.0f\" y=\"%d\" "
		"font-size=\"13\">after (TZDRAM 0x%llx, %llu MiB, %s)</text>\n",
		x0, TITLE_H + 12, (ull)p->tzdram_start, (ull)(p->tzdram_size >> 20),
		x1, TITLE_H + 12, (ull)pl->tzdram_start,
		(ull)(pl->tzdram_size >> 20), mm_placement_str(pl->placement));
	double y = TITLE_H + 20;
	for (size_t i = 0; i < k; i++) {
		uint64_t size = starts[i + 1] - starts[i];
		double h = row_height(size);
		char label[32];
		size_label(label, sizeof label, size);
		fprintf(f, "<text x=\"4\" y=\"%.1f\" font-size=\"11\" "
			"font-family=\"monospace\">0x%09llx</text>\n", y + 11,
			(ull)starts[i]);
		draw_cell(f, x0, y, h, decide(&before, starts[i]));
		draw_cell(f, x1, y, h, decide(&pl->regions, starts[i]));
		fprintf(f, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\">%s"
			"</text>\n", x1 + COL_W + 8, y + h / 2 + 4, label);
		y += h;
	}
	fprintf(f, "</svg>\n");
	return ferror(f) ? -1 : 0;
}
