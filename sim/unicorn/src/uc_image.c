/*
 * The guest ELF (sim/unicorn/guest/guest.ld): three loadable segments,
 * code (r-x), read-only data (r--) and data with bss (rw-), in that
 * order, and the function symbols that name where a stop happened.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uc_internal.h"

static int read_file(const char *path, struct uc_image *img, char *err,
		     size_t err_len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, err_len, "%s: cannot open the guest ELF (make "
			 "FLAVOR=aarch64 builds it)", path);
		return -1;
	}
	long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (n > 0 && fseek(f, 0, SEEK_SET) == 0)
		img->file = malloc((size_t)n);
	if (img->file == NULL || fread(img->file, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		snprintf(err, err_len, "%s: cannot read it", path);
		return -1;
	}
	fclose(f);
	img->file_size = (size_t)n;
	return 0;
}

static int check_header(const char *path, const struct uc_image *img,
			char *err, size_t err_len)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)(const void *)img->file;
	if (img->file_size < sizeof *h || memcmp(h->e_ident, ELFMAG, SELFMAG) ||
	    h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_machine != EM_AARCH64 ||
	    h->e_phoff > img->file_size ||
	    h->e_phnum > (img->file_size - h->e_phoff) / sizeof(Elf64_Phdr) ||
	    h->e_shoff > img->file_size ||
	    h->e_shnum > (img->file_size - h->e_shoff) / sizeof(Elf64_Shdr)) {
		snprintf(err, err_len, "%s: not an AArch64 ELF64 image", path);
		return -1;
	}
	return 0;
}

/* The three PT_LOAD segments, in the linker script's order. */
static int read_segments(const char *path, struct uc_image *img, char *err,
			 size_t err_len)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)(const void *)img->file;
	const Elf64_Phdr *ph =
		(const Elf64_Phdr *)(const void *)(img->file + h->e_phoff);
	static const uint32_t flags[UC_SEGS] = { PF_R | PF_X, PF_R,
						 PF_R | PF_W };
	size_t k = 0;
	for (size_t i = 0; i < h->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (k == UC_SEGS || ph[i].p_flags != flags[k] ||
		    ph[i].p_offset > img->file_size ||
		    ph[i].p_filesz > img->file_size - ph[i].p_offset ||
		    ph[i].p_filesz > ph[i].p_memsz) {
			snprintf(err, err_len, "%s: segment %zu is not the "
				 "r-x, r--, rw- the guest script makes", path, i);
			return -1;
		}
		img->seg[k++] = (struct uc_segment){ ph[i].p_vaddr,
			ph[i].p_offset, ph[i].p_filesz, ph[i].p_memsz };
	}
	if (k != UC_SEGS) {
		snprintf(err, err_len, "%s: %zu loadable segments, expected 3",
			 path, k);
		return -1;
	}
	return 0;
}

static int by_address(const void *a, const void *b)
{
	const struct uc_symbol *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Function and plain symbols with a name; sorted by address. */
static int read_symbols(const char *path, struct uc_image *img, char *err,
			size_t err_len)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)(const void *)img->file;
	const Elf64_Shdr *sh =
		(const Elf64_Shdr *)(const void *)(img->file + h->e_shoff);
	for (size_t i = 0; i < h->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= h->e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > img->file_size ||
		    sh[i].sh_size > img->file_size - sh[i].sh_offset ||
		    st->sh_offset > img->file_size ||
		    st->sh_size > img->file_size - st->sh_offset)
			break;
		size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
		const Elf64_Sym *sym =
			(const Elf64_Sym *)(const void *)(img->file + sh[i].sh_offset);
		const char *names = (const char *)img->file + st->sh_offset;
		img->symbols = calloc(n ? n : 1, sizeof *img->symbols);
		if (img->symbols == NULL)
			break;
		for (size_t j = 0; j < n; j++) {
			unsigned type = ELF64_ST_TYPE(sym[j].st_info);
			if ((type != STT_FUNC && type != STT_NOTYPE) ||
			    sym[j].st_name >= st->sh_size || sym[j].st_value == 0 ||
			    names[sym[j].st_name] == '\0' ||
			    names[sym[j].st_name] == '$')
				continue;
			struct uc_symbol *s = &img->symbols[img->n_symbols++];
			s->addr = sym[j].st_value;
			s->size = sym[j].st_size;
			snprintf(s->name, sizeof s->name, "%s",
				 names + sym[j].st_name);
		}
		qsort(img->symbols, img->n_symbols, sizeof *img->symbols,
		      by_address);
		return 0;
	}
	snprintf(err, err_len, "%s: no symbol table", path);
	return -1;
}

int uc_image_load(const char *path, struct uc_image *img, char *err,
		  size_t err_len)
{
	memset(img, 0, sizeof *img);
	if (read_file(path, img, err, err_len) ||
	    check_header(path, img, err, err_len) ||
	    read_segments(path, img, err, err_len) ||
	    read_symbols(path, img, err, err_len)) {
		uc_image_free(img);
		return -1;
	}
	img->ta_text_start = uc_image_symbol(img, "__ta_text_start");
	img->ta_text_end = uc_image_symbol(img, "__ta_text_end");
	return 0;
}

void uc_image_free(struct uc_image *img)
{
	free(img->file);
	free(img->symbols);
	memset(img, 0, sizeof *img);
}

uint64_t uc_image_symbol(const struct uc_image *img, const char *name)
{
	for (size_t i = 0; i < img->n_symbols; i++)
		if (strcmp(img->symbols[i].name, name) == 0)
			return img->symbols[i].addr;
	return 0;
}

const char *uc_image_function(const struct uc_image *img, uint64_t addr)
{
	const char *name = "?";
	for (size_t i = 0; i < img->n_symbols; i++) {
		const struct uc_symbol *s = &img->symbols[i];
		if (s->addr > addr)
			break;
		if (s->size != 0 && addr < s->addr + s->size)
			name = s->name;
	}
	return name;
}
