/*
** stopwords.c — the English stop-word list and tr_is_stopword.
**
** The list holds English function words (articles, pronouns, prepositions,
** conjunctions, auxiliaries, common adverbs) and their contractions, in the
** normalised form tokens carry: lower case, straight apostrophe. It is
** looked up once per word token, so lookup is a hash probe, not a search:
** a fixed open-addressing table is filled once (pthread_once) from the list.
*/
#include "tokenize.h"

#include <pthread.h>
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
#define STOP_SLOTS 1024  /* power of two, > 3 x entries: short probe chains */

/* ======================================================================
** The hash table
** ==================================================================== */

/* Slot i holds 1 + the index of an entry in stop_list, 0 when empty. */
static unsigned short stop_slot[STOP_SLOTS];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

/* FNV-1a: cheap for words of a few bytes and good enough to keep chains
** short at this load factor. */
static uint32_t stop_hash(const char *s, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

static void stop_build(void) {
  for (size_t k = 0; k < STOP_N; k++) {
    size_t len = strlen(stop_list[k]);
    uint32_t i = stop_hash(stop_list[k], len) & (STOP_SLOTS - 1);
    while (stop_slot[i] != 0) {
      /* a duplicate in the list is harmless: keep the first */
      if (strcmp(stop_list[stop_slot[i] - 1], stop_list[k]) == 0) break;
      i = (i + 1) & (STOP_SLOTS - 1);
    }
    if (stop_slot[i] == 0) stop_slot[i] = (unsigned short)(k + 1);
  }
}

int tr_is_stopword(const char *norm, size_t len) {
  if (len == 0 || len > STOP_MAXLEN || norm == NULL) return 0;
  pthread_once(&stop_once, stop_build);
  uint32_t i = stop_hash(norm, len) & (STOP_SLOTS - 1);
  while (stop_slot[i] != 0) {
    const char *w = stop_list[stop_slot[i] - 1];
    if (strncmp(w, norm, len) == 0 && w[len] == '\0') return 1;
    i = (i + 1) & (STOP_SLOTS - 1);
  }
  return 0;
}
