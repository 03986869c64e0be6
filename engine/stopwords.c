/*
** stopwords.c — the English stop-word list and tr_is_stopword.
**
** The list holds English function words (articles, pronouns, prepositions,
** conjunctions, auxiliaries, common adverbs) and their contractions, in the
** normalised form tokens carry: lower case, straight apostrophe. It is
** looked up once per word token, so lookup is a hash probe, not a search:
** a fixed open-addressing table is filled once (pthread_once) from the list,
** after which an atomic flag lets lookups skip even that call.
*/
#include "tokenize.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

/* ======================================================================
** The list
** ==================================================================== */

static const char *const stop_list[] = {
  /* articles and determiners */
  "a", "an", "the", "this", "that", "these", "those", "each", "every",
  "either", "neither", "some", "any", "no", "none", "all", "both", "few",
  "fewer", "many", "much", "more", "most", "less", "least", "several",
  "such", "other", "others", "another", "own", "same", "enough", "certain",
  "whatever", "whichever", "whoever", "whomever",
  /* personal, possessive and reflexive pronouns */
  "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
  "you", "your", "yours", "yourself", "yourselves", "he", "him", "his",
  "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
  "them", "their", "theirs", "themselves", "one", "ones", "oneself",
  /* relative, interrogative and indefinite pronouns */
  "who", "whom", "whose", "which", "what", "someone", "somebody",
  "something", "anyone", "anybody", "anything", "everyone", "everybody",
  "everything", "nobody", "nothing", "noone",
  /* prepositions */
  "about", "above", "across", "after", "against", "along", "alongside",
  "amid", "amidst", "among", "amongst", "around", "as", "at", "before",
  "behind", "below", "beneath", "beside", "besides", "between", "beyond",
  "by", "despite", "down", "during", "except", "for", "from", "in",
  "inside", "into", "near", "of", "off", "on", "onto", "out", "outside",
  "over", "per", "since", "through", "throughout", "thru", "till", "to",
  "toward", "towards", "under", "underneath", "until", "unto", "up", "upon",
  "via", "with", "within", "without",
  /* conjunctions and connectives */
  "and", "but", "or", "nor", "so", "yet", "if", "because", "although",
  "though", "while", "whilst", "whereas", "unless", "whether", "than",
  "once", "whenever", "wherever", "whereby", "wherein", "whereupon",
  "hence", "thus", "therefore", "however", "moreover", "furthermore",
  "otherwise", "meanwhile", "nevertheless", "nonetheless", "also", "too",
  "else", "namely", "lest",
  /* auxiliary and modal verbs */
  "be", "am", "is", "are", "was", "were", "been", "being", "have", "has",
  "had", "having", "do", "does", "did", "doing", "done", "will", "would",
  "shall", "should", "can", "cannot", "could", "may", "might", "must",
  "ought", "become", "becomes", "became",
  /* adverbs of degree, time, place and manner that carry little content */
  "not", "very", "just", "only", "even", "still", "already", "again",
  "ever", "never", "always", "often", "sometimes", "here", "there", "where",
  "when", "why", "how", "then", "now", "almost", "quite", "rather",
  "perhaps", "indeed", "instead", "together", "away", "back", "anyway",
  "somehow", "somewhere", "anywhere", "everywhere", "nowhere", "elsewhere",
  "thereafter", "thereby", "therein", "thereupon", "hereby", "herein",
  "hereafter", "afterwards", "beforehand", "formerly", "latterly", "former",
  "latter", "whence", "thence", "whither", "really", "well", "ago",
  /* contractions, whole ... */
  "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "you'd",
  "he's", "he'll", "he'd", "she's", "she'll", "she'd", "it's", "it'll",
  "it'd", "we're", "we've", "we'll", "we'd", "they're", "they've",
  "they'll", "they'd", "that's", "that'll", "there's", "here's", "what's",
  "who's", "where's", "when's", "why's", "how's", "let's", "isn't",
  "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't", "don't",
  "doesn't", "didn't", "won't", "wouldn't", "shan't", "shouldn't", "can't",
  "couldn't", "mustn't", "mightn't", "needn't", "ain't",
  /* ... and the clitics a given tokenization may split off */
  "'s", "'re", "'ve", "'ll", "'d", "'m", "n't",
};

#define STOP_N (sizeof stop_list / sizeof stop_list[0])
#define STOP_MAXLEN 16   /* no entry is longer; longer words are never stop */
#define STOP_SLOTS 1024  /* 2^10 slots for the entries of up to 8 bytes */
#define STOP_LSLOTS 128  /* 2^7 slots for the longer entries */

/* ======================================================================
** The hash tables
** ==================================================================== */

/* A word of up to 8 bytes is keyed by its bytes packed into an integer:
** norms hold no NUL, so the key alone identifies the word. Each such entry
** sits in one of two slots (cuckoo hashing), so a lookup reads both and
** compares integers, with no branch on the outcome: about half the words
** of English text are stop words, a branch on that would mispredict. The
** few longer entries have a small table of their own, keyed by their first
** 8 bytes, the rest being compared on a hit. */
static inline uint64_t stop_key(const char *s, size_t len) {
  /* byte k of the key is s[k] for k < min(len, 8), else 0; written without
  ** branches on len (which varies word to word and would mispredict):
  ** every load stays inside s (index clamped to len - 1) and the bytes
  ** past len are masked off */
  const unsigned char *u = (const unsigned char *)s;
  size_t last = len - 1; /* len >= 1 */
#define STOP_BYTE(i) ((uint64_t)u[(i) < last ? (i) : last] << (8 * (i)))
  uint64_t k = STOP_BYTE(0) | STOP_BYTE(1) | STOP_BYTE(2) | STOP_BYTE(3) |
               STOP_BYTE(4) | STOP_BYTE(5) | STOP_BYTE(6) | STOP_BYTE(7);
#undef STOP_BYTE
  size_t m = len < 8 ? len : 8;
  return k & (~(uint64_t)0 >> (8 * (8 - m)));
}

/* The two slots of a key in a table of 2^bits slots. */
static inline uint32_t stop_h1(uint64_t key, unsigned bits) {
  return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

static inline uint32_t stop_h2(uint64_t key, unsigned bits) {
  return (uint32_t)((key * 0xC2B2AE3D27D4EB4Full) >> (64 - bits));
}

static uint64_t stop_keys[STOP_SLOTS];    /* words <= 8 bytes; 0 = empty */
static uint64_t stop_lkeys[STOP_LSLOTS];  /* first 8 bytes of longer ones */
static unsigned short stop_lidx[STOP_LSLOTS]; /* 1 + their stop_list index */
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;
static atomic_int stop_ready; /* set (release) once the tables are built */

static inline int stop_short(uint64_t key) {
  int a = stop_keys[stop_h1(key, 10)] == key;
  int b = stop_keys[stop_h2(key, 10)] == key;
  return a | b; /* both loads, no branch */
}

/* Does long-table slot i hold the word norm (len > 8)? */
static int stop_long_at(uint32_t i, uint64_t key, const char *norm,
                        size_t len) {
  if (stop_lkeys[i] != key || stop_lidx[i] == 0) return 0;
  const char *w = stop_list[stop_lidx[i] - 1];
  return strlen(w) == len && memcmp(w + 8, norm + 8, len - 8) == 0;
}

/* Insert a key (and for the long table its index) into a table of 2^bits
** slots, moving residents to their other slot as needed. */
static int stop_insert(uint64_t *keys, unsigned short *idx, unsigned bits,
                       uint64_t key, unsigned short x) {
  uint32_t i = stop_h1(key, bits);
  for (int kick = 0; kick < 64; kick++) {
    uint64_t k2 = keys[i];
    unsigned short x2 = idx ? idx[i] : 0;
    keys[i] = key;
    if (idx) idx[i] = x;
    if (k2 == 0) return 0;
    key = k2;
    x = x2;
    i = stop_h1(key, bits) == i ? stop_h2(key, bits) : stop_h1(key, bits);
  }
  return -1;
}

static void stop_build(void) {
  /* duplicates are skipped; insertion cannot fail at these loads (both
  ** tables under a third full), and the unit tests look up every entry */
  for (size_t k = 0; k < STOP_N; k++) {
    size_t len = strlen(stop_list[k]);
    uint64_t key = stop_key(stop_list[k], len);
    if (len <= 8) {
      if (!stop_short(key))
        (void)stop_insert(stop_keys, NULL, 10, key, 0);
    } else if (!stop_long_at(stop_h1(key, 7), key, stop_list[k], len) &&
               !stop_long_at(stop_h2(key, 7), key, stop_list[k], len)) {
      (void)stop_insert(stop_lkeys, stop_lidx, 7, key,
                        (unsigned short)(k + 1));
    }
  }
  atomic_store_explicit(&stop_ready, 1, memory_order_release);
}

int tr_is_stopword8(uint64_t key) {
  if (key == 0) return 0;
  if (!atomic_load_explicit(&stop_ready, memory_order_acquire))
    pthread_once(&stop_once, stop_build);
  return stop_short(key);
}

int tr_is_stopword(const char *norm, size_t len) {
  if (len == 0 || len > STOP_MAXLEN || norm == NULL) return 0;
  if (!atomic_load_explicit(&stop_ready, memory_order_acquire))
    pthread_once(&stop_once, stop_build);
  if (len <= 8) return stop_short(stop_key(norm, len));
  /* A longer word: its first 8 bytes are the key, loaded at once; most
  ** such words are not stop words and fail on the two key compares. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t key; /* byte k of the word in bits 8k..8k+7, as stop_key */
  memcpy(&key, norm, 8);
#else
  uint64_t key = stop_key(norm, len);
#endif
  uint32_t a = stop_h1(key, 7), b = stop_h2(key, 7);
  if (stop_lkeys[a] != key && stop_lkeys[b] != key) return 0;
  return stop_long_at(a, key, norm, len) || stop_long_at(b, key, norm, len);
}
