/* elfkind.c — static or dynamic, Go or not (elfkind.h), with libelf. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbolize/elfkind.h"

static bool has_go_symbol(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || sh->sh_entsize == 0)
		return false;
	size_t n = sh->sh_size / sh->sh_entsize;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			break;
		const char *name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (name && strcmp(name, "runtime.main") == 0)
			return true;
	}
	return false;
}

int ms_elf_kind_read(const char *path, ms_elf_kind *k, ms_err *err)
{
	memset(k, 0, sizeof *k);
	/* O_NONBLOCK: never wait on a FIFO; then only regular files */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ms_seterr(err, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	unsigned char magic[4];
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || pread(fd, magic, 4, 0) != 4 ||
		memcmp(magic, ELFMAG, SELFMAG) != 0) {
		close(fd);
		return 0;
	}
	k->is_elf = true;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		close(fd);
		return ms_seterr(err, "libelf: %s", elf_errmsg(-1));
	}
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		close(fd);
		return ms_seterr(err, "%s: not a readable ELF file: %s", path, elf_errmsg(-1));
	}
	size_t nph = 0, shstrndx = 0;
	if (elf_getphdrnum(elf, &nph) == 0)
		for (size_t i = 0; i < nph; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_INTERP)
				k->has_interp = true;
		}
	if (elf_getshdrstrndx(elf, &shstrndx) == 0)
		for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn)) && !k->is_go;) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh))
				continue;
			const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (name && strcmp(name, ".go.buildinfo") == 0)
				k->is_go = true;
			else if (sh.sh_type == SHT_SYMTAB && has_go_symbol(elf, scn, &sh))
				k->is_go = true;
		}
	elf_end(elf);
	close(fd);
	return 0;
}
