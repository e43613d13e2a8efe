/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replays a fuzz target's corpus without libFuzzer: every file of the given
 * folders (or the files themselves) is fed once to LLVMFuzzerTestOneInput.
 * A crash or sanitizer report fails the test; the count is printed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Targets that define it report each input's outcome; --digest prints them. */
extern uint64_t fc_fuzz_digest __attribute__((weak));
static int digest;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    static uint8_t buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    /* an exact-size heap copy, so ASan sees reads past the input */
    uint8_t *copy = malloc(n ? n : 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, buf, n);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    if (digest && &fc_fuzz_digest != NULL) {
        const char *base = strrchr(path, '/');
        printf("%s %016llx\n", base ? base + 1 : path, (unsigned long long)fc_fuzz_digest);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int count = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--digest")) {
            digest = 1;
            continue;
        }
        struct stat st;
        if (stat(argv[a], &st) != 0) {
            perror(argv[a]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[a]) == 0)
                count++;
            continue;
        }
        DIR *d = opendir(argv[a]);
        for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
            char path[4096];
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", argv[a], e->d_name);
            if (run_file(path) == 0)
                count++;
        }
        if (d)
            closedir(d);
    }
    if (!digest)
        printf("replayed %d inputs\n", count);
    return count > 0 ? 0 : 1;
}
