/* decom-floor: the C floor of the console's filter keystroke and memory (issue 16).

     decom-floor [--runs N] FLEET [WORD]

   The least work that gives the console's answer, as a careful C programmer writes it: the
   active devices (client_status <> 'ARCHIVED', in id order) are read once into one text
   arena, each row's name, serial number, label and HWID side by side with a NUL between them
   and its MAC addresses joined by ';' in a second arena, with 32-bit offsets. Then WORD
   (default lt-par, as decom-bench types it) is typed one key at a time: each key is a free
   word of decom's filter language (DeviceQuery), an ASCII case-insensitive substring of the
   name, serial, label or HWID, or of a MAC address when the word could be in one (hex digits
   and ':'), or the hex digits of a MAC address when the word is 2 to 12 hex digits with ':',
   '-' or '.' between them (and no '.', as a free word). The first key searches every row,
   each later key only the rows the previous one kept (as the console narrows), on one
   thread; then the first 36 matching rows are formatted as 120-column lines into a buffer,
   the stand-in for drawing the screen. Each key is timed on CLOCK_MONOTONIC.

   Prints one JSON object: the rows read, the load time, per typing the milliseconds of each
   key, the matching rows of each key, and VmHWM (peak resident memory) from /proc/self/status
   after loading and typing. Exit 2 for wrong arguments, 1 when the fleet cannot be read. */

#define _POSIX_C_SOURCE 200809L

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SCREEN_ROWS = 36, LINE_WIDTH = 120, MAX_WORD = 64, MAX_RUNS = 1000 };

/* A growing byte buffer. realloc of a large block moves pages (mremap), it does not copy. */
struct arena {
    char *bytes;
    size_t length, capacity;
};

/* The active devices: row r's text is text[text_start[r] ..< text_start[r + 1]], its MAC
   list macs[mac_start[r] ..< mac_start[r + 1]]. */
struct fleet {
    size_t count, capacity;
    int64_t *ids;
    uint32_t *text_start, *mac_start;
    struct arena text, macs;
};

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "decom-floor: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *grow(void *pointer, size_t count, size_t size)
{
    void *grown = realloc(pointer, count * size);
    if (!grown) fail("out of memory", NULL);
    return grown;
}

static void append(struct arena *arena, const void *bytes, size_t length)
{
    if (arena->length + length + 1 > arena->capacity) {
        size_t capacity = arena->capacity ? arena->capacity : 1 << 20;
        while (arena->length + length + 1 > capacity) capacity *= 2;
        arena->bytes = grow(arena->bytes, capacity, 1);
        arena->capacity = capacity;
    }
    memcpy(arena->bytes + arena->length, bytes, length);
    arena->length += length;
}

static uint32_t offset(const struct arena *arena)
{
    if (arena->length > UINT32_MAX) fail("the fleet's text passes 4 GiB", NULL);
    return (uint32_t)arena->length;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
        fail("not a decom fleet database", sqlite3_errmsg(db));
    return statement;
}

/* Reads the active devices and their MAC addresses: two cursors in device id order, merged
   as the rows go by (the console's store does the same). */
static void load(sqlite3 *db, struct fleet *fleet)
{
    sqlite3_stmt *devices = prepare(
        db, "SELECT id, name, serial_number, label, hwid FROM devices "
            "WHERE client_status <> 'ARCHIVED' ORDER BY id");
    sqlite3_stmt *macs =
        prepare(db, "SELECT device_id, mac FROM device_macs ORDER BY device_id, position");
    int mac_step = sqlite3_step(macs);
    int step;
    while ((step = sqlite3_step(devices)) == SQLITE_ROW) {
        if (fleet->count + 1 >= fleet->capacity) {
            fleet->capacity = fleet->capacity ? fleet->capacity * 2 : 65536;
            fleet->ids = grow(fleet->ids, fleet->capacity, sizeof *fleet->ids);
            fleet->text_start = grow(fleet->text_start, fleet->capacity, sizeof(uint32_t));
            fleet->mac_start = grow(fleet->mac_start, fleet->capacity, sizeof(uint32_t));
        }
        int64_t id = sqlite3_column_int64(devices, 0);
        fleet->ids[fleet->count] = id;
        fleet->text_start[fleet->count] = offset(&fleet->text);
        fleet->mac_start[fleet->count] = offset(&fleet->macs);
        for (int column = 1; column <= 4; column++) {
            const unsigned char *text = sqlite3_column_text(devices, column);
            append(&fleet->text, text ? text : (const unsigned char *)"",
                   (size_t)sqlite3_column_bytes(devices, column));
            append(&fleet->text, "", 1);
        }
        size_t first_mac = fleet->macs.length;
        while (mac_step == SQLITE_ROW && sqlite3_column_int64(macs, 0) <= id) {
            if (sqlite3_column_int64(macs, 0) == id) {
                if (fleet->macs.length > first_mac) append(&fleet->macs, ";", 1);
                const unsigned char *mac = sqlite3_column_text(macs, 1);
                if (mac) append(&fleet->macs, mac, (size_t)sqlite3_column_bytes(macs, 1));
            }
            mac_step = sqlite3_step(macs);
        }
        fleet->count++;
    }
    if (step != SQLITE_DONE || (mac_step != SQLITE_ROW && mac_step != SQLITE_DONE))
        fail("cannot read the fleet", sqlite3_errmsg(db));
    fleet->text_start[fleet->count] = offset(&fleet->text);
    fleet->mac_start[fleet->count] = offset(&fleet->macs);
    sqlite3_finalize(devices);
    sqlite3_finalize(macs);
}

static inline unsigned char fold(unsigned char c)
{
    return (unsigned char)(c - 'A') < 26 ? c | 0x20 : c;
}

typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* Whether the needle (lower case, not empty) occurs in hay[0 ..< length], ASCII case folded:
   candidate first bytes sixteen at a time (lanes read as two little-endian 64-bit halves, as
   on x86-64 and arm64), then the rest byte by byte. */
static int contains(const unsigned char *hay, size_t length, const unsigned char *needle,
                    size_t needle_length)
{
    if (length < needle_length) return 0;
    unsigned char first = needle[0];
    unsigned char case_bit = (unsigned char)(first - 'a') < 26 ? 0x20 : 0;
    size_t starts = length - needle_length + 1, i = 0;
    bytes16 firsts, case_bits;
    memset(&firsts, first, sizeof firsts);
    memset(&case_bits, case_bit, sizeof case_bits);
    for (; i + 16 <= starts; i += 16) {
        bytes16 block;
        memcpy(&block, hay + i, sizeof block);
        bytes16 hits = (bytes16)((block | case_bits) == firsts);
        uint64_t halves[2];
        memcpy(halves, &hits, sizeof halves);
        for (int half = 0; half < 2; half++) {
            for (uint64_t bits = halves[half]; bits;) {
                unsigned lane = (unsigned)__builtin_ctzll(bits) / 8;
                bits &= ~(0xffull << (lane * 8));
                size_t at = i + (size_t)half * 8 + lane, k = 1;
                while (k < needle_length && fold(hay[at + k]) == needle[k]) k++;
                if (k == needle_length) return 1;
            }
        }
    }
    for (; i < starts; i++) {
        if ((hay[i] | case_bit) != first) continue;
        size_t k = 1;
        while (k < needle_length && fold(hay[i + k]) == needle[k]) k++;
        if (k == needle_length) return 1;
    }
    return 0;
}

static int hex_value(unsigned char c)
{
    c = fold(c);
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* A free word as decom's filter reads it: lower case, whether it could be in a MAC address
   (hex digits and ':' only), and its MAC pattern (2 to 12 hex digits, ':', '-' or '.' between
   them; none for a word with a '.'), packed as nibbles. */
struct word {
    unsigned char text[MAX_WORD];
    size_t length;
    int could_be_in_mac, hex_digits;
    uint64_t hex;
};

static void read_word(struct word *word, const char *text, size_t length)
{
    word->length = length;
    word->could_be_in_mac = 1;
    word->hex_digits = 0;
    word->hex = 0;
    int pattern = 1, dot = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = fold((unsigned char)text[i]);
        word->text[i] = c;
        int nibble = hex_value(c);
        if (nibble < 0 && c != ':') word->could_be_in_mac = 0;
        if (c == '.') dot = 1;
        if (nibble >= 0) {
            if (word->hex_digits == 12) pattern = 0;
            word->hex = word->hex << 4 | (uint64_t)nibble;
            word->hex_digits++;
        } else if (c != ':' && c != '-' && c != '.') {
            pattern = 0;
        }
    }
    if (!pattern || dot || word->hex_digits < 2) word->hex_digits = 0;
}

/* Whether the word's hex digits occur among the hex digits of one address of a ';' list. */
static int mac_hex_contains(const unsigned char *list, size_t length, const struct word *word)
{
    uint64_t mask = (1ull << (word->hex_digits * 4)) - 1;
    size_t start = 0;
    while (start <= length) {
        size_t end = start;
        while (end < length && list[end] != ';') end++;
        uint64_t value = 0;
        int digits = 0, too_long = 0;
        for (size_t i = start; i < end; i++) {
            int nibble = hex_value(list[i]);
            if (nibble < 0) continue;
            if (digits == 15) {
                too_long = 1;
                break;
            }
            value = value << 4 | (uint64_t)nibble;
            digits++;
        }
        if (!too_long)
            for (int shift = 0; shift + word->hex_digits <= digits; shift++)
                if (((value >> (shift * 4)) & mask) == word->hex) return 1;
        start = end + 1;
    }
    return 0;
}

static int matches(const struct fleet *fleet, size_t row, const struct word *word)
{
    const unsigned char *text = (const unsigned char *)fleet->text.bytes;
    uint32_t start = fleet->text_start[row];
    /* One search over name to HWID: the word holds no NUL, so it is found inside one field. */
    if (contains(text + start, fleet->text_start[row + 1] - start - 1, word->text, word->length))
        return 1;
    const unsigned char *macs = (const unsigned char *)fleet->macs.bytes + fleet->mac_start[row];
    size_t mac_length = fleet->mac_start[row + 1] - fleet->mac_start[row];
    if (mac_length == 0) return 0;
    if (word->hex_digits) return mac_hex_contains(macs, mac_length, word);
    return word->could_be_in_mac && contains(macs, mac_length, word->text, word->length);
}

/* The first rows of the view as the table's lines: id, name, serial, label, HWID. */
static size_t draw(const struct fleet *fleet, const uint32_t *view, size_t count, char *screen)
{
    size_t written = 0;
    for (size_t i = 0; i < count && i < SCREEN_ROWS; i++) {
        const char *name = fleet->text.bytes + fleet->text_start[view[i]];
        const char *serial = name + strlen(name) + 1;
        const char *label = serial + strlen(serial) + 1;
        const char *hwid = label + strlen(label) + 1;
        written += (size_t)snprintf(screen + written, LINE_WIDTH + 2,
                                    "%9lld  %-32.32s  %-20.20s  %-24.24s  %-26.26s\n",
                                    (long long)fleet->ids[view[i]], name, serial, label, hwid);
    }
    return written;
}

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e3 + (double)now.tv_nsec / 1e6;
}

static long peak_kilobytes(void)
{
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];
    long peak = -1;
    while (status && fgets(line, sizeof line, status))
        if (strncmp(line, "VmHWM:", 6) == 0) peak = strtol(line + 6, NULL, 10);
    if (status) fclose(status);
    return peak;
}

static void usage(const char *problem)
{
    fprintf(stderr,
            "decom-floor: %s\nusage: decom-floor [--runs N] FLEET [WORD]  (WORD: 1 to %d "
            "printable ASCII characters, no space, quote, backslash or ':', not starting "
            "with '-'; default lt-par)\n",
            problem, MAX_WORD - 1);
    exit(2);
}

int main(int argc, char **argv)
{
    int runs = 1, argi = 1;
    if (argi < argc && strcmp(argv[argi], "--runs") == 0) {
        char *end = NULL;
        long value = argi + 1 < argc ? strtol(argv[argi + 1], &end, 10) : 0;
        if (!end || *end || value < 1 || value > MAX_RUNS)
            usage("--runs needs a whole number from 1 to 1000");
        runs = (int)value;
        argi += 2;
    }
    if (argc - argi < 1 || argc - argi > 2) usage("wrong number of arguments");
    const char *path = argv[argi];
    const char *query = argc - argi == 2 ? argv[argi + 1] : "lt-par";
    size_t keys = strlen(query);
    if (keys == 0 || keys >= MAX_WORD || query[0] == '-') usage("the word is not a free word");
    for (size_t i = 0; i < keys; i++) {
        unsigned char c = (unsigned char)query[i];
        if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == ':')
            usage("the word is not a free word");
    }

    double started = now_ms();
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        fail("cannot open the fleet database", sqlite3_errmsg(db));
    struct fleet fleet = {0};
    load(db, &fleet);
    sqlite3_close(db);
    double load_ms = now_ms() - started;

    uint32_t *view = grow(NULL, fleet.count ? fleet.count : 1, sizeof *view);
    double *key_ms = grow(NULL, (size_t)runs * keys, sizeof *key_ms);
    size_t *matched = grow(NULL, keys, sizeof *matched);
    static char screen[SCREEN_ROWS * (LINE_WIDTH + 2)];
    size_t drawn = 0;
    for (int run = 0; run < runs; run++) {
        size_t count = 0;
        for (size_t key = 0; key < keys; key++) {
            struct word word;
            read_word(&word, query, key + 1);
            double start = now_ms();
            if (key == 0) {
                for (size_t row = 0; row < fleet.count; row++)
                    if (matches(&fleet, row, &word)) view[count++] = (uint32_t)row;
            } else {
                size_t kept = 0;
                for (size_t i = 0; i < count; i++)
                    if (matches(&fleet, view[i], &word)) view[kept++] = view[i];
                count = kept;
            }
            drawn += draw(&fleet, view, count, screen);
            key_ms[(size_t)run * keys + key] = now_ms() - start;
            if (run > 0 && matched[key] != count) fail("the same key matched differently", NULL);
            matched[key] = count;
        }
    }

    printf("{\"devices\": %zu, \"query\": \"%s\", \"load_ms\": %.3f, \"key_ms\": [", fleet.count,
           query, load_ms);
    for (size_t i = 0; i < (size_t)runs * keys; i++)
        printf("%s%.4f", i ? ", " : "", key_ms[i]);
    printf("], \"matches\": [");
    for (size_t key = 0; key < keys; key++) printf("%s%zu", key ? ", " : "", matched[key]);
    printf("], \"screen_bytes\": %zu, \"vmhwm_kb\": %ld}\n", drawn, peak_kilobytes());
    return 0;
}
