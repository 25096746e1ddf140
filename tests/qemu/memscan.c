/*
 * memscan: the normal world's attempts to read secure memory, for the
 * QEMU validation (ci/qemu). Reads physical [ADDR, ADDR + SIZE) through
 * /dev/mem both ways root can, read(2) a page at a time and mmap(2) of
 * the whole range, and looks for needles (NEEDLES: a file of 32-byte
 * pieces of the model) in whatever it got. Prints two lines:
 *
 *   memscan: 0x42200000+0x1a00000: 0 pages read, 6656 refused (Bad address), 0 of 64 needles found
 *   memscan: mmap 0x42200000+0x1a00000: refused (Operation not permitted), 0 of 64 needles found
 *
 * "refused" counts pages /dev/mem would not give, with the first
 * errno's text. Exit status 0 whatever was found (the host judges);
 * 2 on a usage error.
 *
 *   memscan ADDR SIZE NEEDLES
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096u
#define NEEDLE 32u
#define MAX_NEEDLES 256u

static uint8_t needles[MAX_NEEDLES][NEEDLE];
static unsigned found[MAX_NEEDLES];

static size_t read_needles(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t n = fread(needles, NEEDLE, MAX_NEEDLES, f);
	fclose(f);
	return n;
}

/* Marks the needles in buf (a page and the NEEDLE - 1 bytes after it,
 * so that one straddling two pages is seen). */
static void search(const uint8_t *buf, size_t len, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!found[i] && memmem(buf, len, needles[i], NEEDLE))
			found[i] = 1;
}

static unsigned count_found(size_t n)
{
	unsigned hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += found[i];
	return hits;
}

static sigjmp_buf fault_jump;

static void on_fault(int sig)
{
	siglongjmp(fault_jump, sig);
}

/* The whole range mapped (as a device, as /dev/mem maps memory that is
 * not the kernel's RAM); then searched. A bus that refuses the normal
 * world (QEMU's secure RAM) faults the first read: SIGBUS, caught. */
static void scan_mapped(uint64_t addr, uint64_t size, size_t n)
{
	memset(found, 0, sizeof found);
	int fd = open("/dev/mem", O_RDONLY | O_SYNC);
	void *p = fd < 0 ? MAP_FAILED
			 : mmap(NULL, size, PROT_READ, MAP_SHARED, fd, (off_t)addr);
	int e = errno;
	if (p == MAP_FAILED) {
		printf("memscan: mmap 0x%llx+0x%llx: refused (%s), 0 of %zu "
		       "needles found\n", (unsigned long long)addr,
		       (unsigned long long)size, strerror(e), n);
	} else {
		/* device memory: copied out a page at a time, aligned */
		static uint8_t page[PAGE + NEEDLE];
		static volatile uint64_t off;
		static size_t carry;
		carry = 0;
		signal(SIGBUS, on_fault);
		signal(SIGSEGV, on_fault);
		int sig = sigsetjmp(fault_jump, 1);
		if (sig) {
			printf("memscan: mmap 0x%llx+0x%llx: mapped, reading "
			       "0x%llx faulted (%s), %u of %zu needles found\n",
			       (unsigned long long)addr, (unsigned long long)size,
			       (unsigned long long)(addr + off), strsignal(sig),
			       count_found(n), n);
			munmap(p, size);
			close(fd);
			return;
		}
		for (off = 0; off < size; off += PAGE) {
			const volatile uint64_t *src =
				(const volatile uint64_t *)((uint8_t *)p + off);
			for (size_t w = 0; w < PAGE / 8; w++)
				((uint64_t *)(void *)(page + carry))[w] = src[w];
			search(page, carry + PAGE, n);
			memmove(page, page + carry + PAGE - (NEEDLE - 1),
				NEEDLE - 1);
			carry = NEEDLE - 1;
		}
		printf("memscan: mmap 0x%llx+0x%llx: mapped, %u of %zu needles "
		       "found\n", (unsigned long long)addr,
		       (unsigned long long)size, count_found(n), n);
		munmap(p, size);
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: memscan ADDR SIZE NEEDLES\n");
		return 2;
	}
	uint64_t addr = strtoull(argv[1], NULL, 0);
	uint64_t size = strtoull(argv[2], NULL, 0);
	size_t n = read_needles(argv[3]);
	int fd = open("/dev/mem", O_RDONLY | O_SYNC);
	uint64_t read_ok = 0, refused = 0;
	int first_errno = fd < 0 ? errno : 0;
	static uint8_t buf[PAGE + NEEDLE];
	size_t carry = 0;
	for (uint64_t off = 0; fd >= 0 && off < size; off += PAGE) {
		ssize_t got = pread(fd, buf + carry, PAGE, (off_t)(addr + off));
		if (got != (ssize_t)PAGE) {
			refused++;
			if (!first_errno)
				first_errno = got < 0 ? errno : EIO;
			carry = 0;
			continue;
		}
		read_ok++;
		search(buf, carry + PAGE, n);
		memmove(buf, buf + carry + PAGE - (NEEDLE - 1), NEEDLE - 1);
		carry = NEEDLE - 1;
	}
	if (fd < 0)
		refused = size / PAGE;
	printf("memscan: 0x%llx+0x%llx: %llu pages read, %llu refused (%s), "
	       "%u of %zu needles found\n", (unsigned long long)addr,
	       (unsigned long long)size, (unsigned long long)read_ok,
	       (unsigned long long)refused,
	       first_errno ? strerror(first_errno) : "-", count_found(n), n);
	if (fd >= 0)
		close(fd);
	scan_mapped(addr, size, n);
	return 0;
}
