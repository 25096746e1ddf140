/* The provisioning progress bar (progress.h). */
#include <unistd.h>

#include "progress.h"

#define BAR_WIDTH 30

bool sz_progress_wanted(FILE *f, bool asked, bool json)
{
	return asked || (!json && isatty(fileno(f)));
}

void sz_progress_init(struct sz_progress *p, FILE *f, const char *what)
{
	p->f = f;
	p->what = what;
	p->shown = -1;
}

void sz_progress_update(void *arg, uint64_t done, uint64_t total)
{
	struct sz_progress *p = arg;
	int permille = total ? (int)(done * 1000 / total) : 1000;
	if (permille == p->shown)	/* redraw only when it moves */
		return;
	p->shown = permille;
	int fill = permille * BAR_WIDTH / 1000;
	fprintf(p->f, "\r%s [", p->what);
	for (int i = 0; i < BAR_WIDTH; i++)
		fputc(i < fill ? '#' : '.', p->f);
	double unit = total >= 1 << 20 ? 1 << 20 : 1 << 10;
	fprintf(p->f, "] %3d%%  %.1f / %.1f %s", permille / 10,
		(double)done / unit, (double)total / unit,
		unit > 1024 ? "MiB" : "KiB");
	if (done >= total)
		fputc('\n', p->f);
	fflush(p->f);
}
