#include "crush/text_map.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "crush/builder.h"
#include "crush/hash.h"

namespace cs::crush {

namespace {

struct Token {
  std::string text;
  int line = 0;
  int column = 0;
};

// Words separated by blanks; braces and brackets stand alone; '#' starts a
// comment to the end of the line.
std::vector<Token> Tokenize(const std::string& text) {
  std::vector<Token> tokens;
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < text.size();) {
    const char ch = text[i];
    if (ch == '\n') {
      ++line;
      line_start = ++i;
    } else if (ch == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (std::isspace(static_cast<unsigned char>(ch))) {
      ++i;
    } else {
      const int column = static_cast<int>(i - line_start) + 1;
      size_t end = i + 1;
      if (!std::strchr("{}[]", ch)) {
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
               !std::strchr("{}[]#", text[end])) {
          ++end;
        }
      }
      tokens.push_back({text.substr(i, end - i), line, column});
      i = end;
    }
  }
  return tokens;
}

bool IsName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}
bool IsDigits(const std::string& s, size_t from = 0) {
  return s.size() > from && std::all_of(s.begin() + from, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool IsReal(const std::string& s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return std::strchr("0123456789+-.eE", c); })) {
    return false;
  }
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return *end == '\0' && std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- the parse tree: what the text says, before any meaning is given ----

struct ItemLine {
  Token name;
  std::optional<Token> weight, pos;
};
struct BucketDef {
  Token type, name;
  std::vector<std::pair<Token, std::optional<Token>>> ids;  // id, class
  Token alg;
  std::vector<Token> hashes;
  std::vector<ItemLine> items;
};
struct StepDef {
  Token keyword;                   // take, choose, chooseleaf, emit, set_*
  std::vector<Token> args;         // take: item [class]; choose: mode n type
};
struct RuleDef {
  Token at;
  std::optional<Token> name;
  Token id, type, min_size, max_size;
  std::vector<StepDef> steps;
};
struct ChooseArgDef {
  Token at, bucket_id;
  std::optional<Token> weight_set_at;
  std::vector<std::pair<Token, std::vector<Token>>> weight_set;  // per position: its '[' and weights
  std::optional<Token> ids_at;
  std::vector<Token> ids;
};
struct ChooseArgsDef {
  Token at, index;
  std::vector<ChooseArgDef> args;
};
struct Entry {  // a bucket or a rule, in file order
  bool is_bucket = false;
  size_t index = 0;
};
struct Tree {
  std::vector<std::pair<Token, Token>> tunables;
  std::vector<std::tuple<Token, Token, std::optional<Token>>> devices;  // id, name, class
  std::vector<std::pair<Token, Token>> types;
  std::vector<BucketDef> buckets;
  std::vector<RuleDef> rules;
  std::vector<Entry> entries;
  std::vector<ChooseArgsDef> choose_args;  // after every bucket and rule
};

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string source) : t_(std::move(tokens)), source_(std::move(source)) {}

  Result<Tree> Parse() {
    Tree tree;
    Status s = ParseAll(tree);
    if (!s.ok()) return s;
    return tree;
  }

 private:
  Status ParseAll(Tree& tree) {
    while (More()) {
      const std::string& w = Peek().text;
      if (w == "tunable") {
        Next();
        Token name, value;
        CS_RETURN_IF_ERROR(Expect(IsName, "a tunable name", name));
        CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a non-negative integer", value));
        tree.tunables.emplace_back(name, value);
      } else if (w == "device") {
        Next();
        Token id, name;
        std::optional<Token> cls;
        CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a device id", id));
        CS_RETURN_IF_ERROR(Expect(IsName, "a device name", name));
        if (More() && Peek().text == "class") {
          Next();
          cls.emplace();
          CS_RETURN_IF_ERROR(Expect(IsName, "a device class", *cls));
        }
        tree.devices.emplace_back(id, name, cls);
      } else if (w == "type") {
        Next();
        Token id, name;
        CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a type id", id));
        CS_RETURN_IF_ERROR(Expect(IsName, "a type name", name));
        tree.types.emplace_back(id, name);
      } else {
        break;
      }
    }
    while (More()) {
      if (Peek().text == "rule") {
        if (!tree.choose_args.empty()) return Unexpected("'choose_args' (they come after every bucket and rule)");
        RuleDef r;
        CS_RETURN_IF_ERROR(ParseRule(r));
        tree.entries.push_back({false, tree.rules.size()});
        tree.rules.push_back(std::move(r));
      } else if (Peek().text == "choose_args") {
        ChooseArgsDef c;
        CS_RETURN_IF_ERROR(ParseChooseArgs(c));
        tree.choose_args.push_back(std::move(c));
      } else if (!tree.choose_args.empty()) {
        return Unexpected("'choose_args' (they come after every bucket and rule)");
      } else {
        BucketDef b;
        CS_RETURN_IF_ERROR(ParseBucket(b));
        tree.entries.push_back({true, tree.buckets.size()});
        tree.buckets.push_back(std::move(b));
      }
    }
    return Status::Ok();
  }

  Status ParseBucket(BucketDef& b) {
    CS_RETURN_IF_ERROR(Expect(IsName, "a bucket type, 'rule', 'device', 'type' or 'tunable'", b.type));
    CS_RETURN_IF_ERROR(Expect(IsName, "a bucket name", b.name));
    CS_RETURN_IF_ERROR(Keyword("{"));
    while (More() && Peek().text == "id") {
      Next();
      Token id;
      std::optional<Token> cls;
      CS_RETURN_IF_ERROR(Expect(IsNegInt, "a negative bucket id", id));
      if (More() && Peek().text == "class") {
        Next();
        cls.emplace();
        CS_RETURN_IF_ERROR(Expect(IsName, "a device class", *cls));
      }
      b.ids.emplace_back(id, cls);
    }
    CS_RETURN_IF_ERROR(Keyword("alg"));
    CS_RETURN_IF_ERROR(Expect(IsName, "a bucket algorithm", b.alg));
    while (More() && Peek().text == "hash") {
      Next();
      Token h;
      CS_RETURN_IF_ERROR(Expect(IsHash, "a hash (rjenkins1 or a number)", h));
      b.hashes.push_back(h);
    }
    while (More() && Peek().text == "item") {
      Next();
      ItemLine item;
      CS_RETURN_IF_ERROR(Expect(IsName, "an item name", item.name));
      if (More() && Peek().text == "weight") {
        Next();
        item.weight.emplace();
        CS_RETURN_IF_ERROR(Expect(IsReal, "a weight", *item.weight));
      }
      if (More() && Peek().text == "pos") {
        Next();
        item.pos.emplace();
        CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a position", *item.pos));
      }
      b.items.push_back(std::move(item));
    }
    return Keyword("}");
  }

  // choose_args N { { bucket_id -B [weight_set [ [w ...] ... ]] [ids [i ...]] } ... }
  Status ParseChooseArgs(ChooseArgsDef& c) {
    c.at = Next();
    CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a choose_args index", c.index));
    CS_RETURN_IF_ERROR(Keyword("{"));
    while (More() && Peek().text == "{") {
      ChooseArgDef a;
      a.at = Next();
      CS_RETURN_IF_ERROR(Keyword("bucket_id"));
      CS_RETURN_IF_ERROR(Expect(IsNegInt, "a negative bucket id", a.bucket_id));
      if (More() && Peek().text == "weight_set") {
        a.weight_set_at = Next();
        CS_RETURN_IF_ERROR(Keyword("["));
        while (More() && Peek().text == "[") {
          std::pair<Token, std::vector<Token>> position{Next(), {}};
          while (More() && Peek().text != "]") {
            Token w;
            CS_RETURN_IF_ERROR(Expect(IsReal, "a weight or ']'", w));
            position.second.push_back(w);
          }
          CS_RETURN_IF_ERROR(Keyword("]"));
          a.weight_set.push_back(std::move(position));
        }
        CS_RETURN_IF_ERROR(Keyword("]"));
      }
      if (More() && Peek().text == "ids") {
        a.ids_at = Next();
        CS_RETURN_IF_ERROR(Keyword("["));
        while (More() && Peek().text != "]") {
          Token id;
          CS_RETURN_IF_ERROR(Expect(IsInt, "an id or ']'", id));
          a.ids.push_back(id);
        }
        CS_RETURN_IF_ERROR(Keyword("]"));
      }
      CS_RETURN_IF_ERROR(Keyword("}"));
      c.args.push_back(std::move(a));
    }
    return Keyword("}");
  }

  Status ParseRule(RuleDef& r) {
    r.at = Next();
    if (More() && Peek().text != "{") {
      r.name.emplace();
      CS_RETURN_IF_ERROR(Expect(IsName, "a rule name", *r.name));
    }
    CS_RETURN_IF_ERROR(Keyword("{"));
    if (!More() || (Peek().text != "id" && Peek().text != "ruleset")) return Unexpected("'id' or 'ruleset'");
    Next();
    CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a rule id", r.id));
    CS_RETURN_IF_ERROR(Keyword("type"));
    CS_RETURN_IF_ERROR(Expect([](const std::string& s) { return s == "replicated" || s == "erasure"; },
                              "'replicated' or 'erasure'", r.type));
    CS_RETURN_IF_ERROR(Keyword("min_size"));
    CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a size", r.min_size));
    CS_RETURN_IF_ERROR(Keyword("max_size"));
    CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a size", r.max_size));
    while (More() && Peek().text == "step") {
      Next();
      StepDef s;
      CS_RETURN_IF_ERROR(ParseStep(s));
      r.steps.push_back(std::move(s));
    }
    if (r.steps.empty()) return Unexpected("'step'");
    return Keyword("}");
  }

  Status ParseStep(StepDef& s) {
    if (!More()) return Unexpected("a step");
    s.keyword = Next();
    const std::string& k = s.keyword.text;
    Token a;
    if (k == "take") {
      CS_RETURN_IF_ERROR(Expect(IsName, "an item name", a));
      s.args.push_back(a);
      if (More() && Peek().text == "class") {
        Next();
        CS_RETURN_IF_ERROR(Expect(IsName, "a device class", a));
        s.args.push_back(a);
      }
    } else if (k == "choose" || k == "chooseleaf") {
      CS_RETURN_IF_ERROR(Expect([](const std::string& m) { return m == "firstn" || m == "indep"; },
                                "'firstn' or 'indep'", a));
      s.args.push_back(a);
      CS_RETURN_IF_ERROR(Expect(IsInt, "a count", a));
      s.args.push_back(a);
      CS_RETURN_IF_ERROR(Keyword("type"));
      CS_RETURN_IF_ERROR(Expect(IsName, "a type name", a));
      s.args.push_back(a);
    } else if (k == "set_choose_tries" || k == "set_choose_local_tries" || k == "set_choose_local_fallback_tries" ||
               k == "set_chooseleaf_tries" || k == "set_chooseleaf_vary_r" || k == "set_chooseleaf_stable") {
      CS_RETURN_IF_ERROR(Expect(IsDigitsFn, "a non-negative integer", a));
      s.args.push_back(a);
    } else if (k != "emit") {
      return Error(s.keyword, "unknown step '" + k + "'");
    }
    return Status::Ok();
  }

  static bool IsDigitsFn(const std::string& s) { return IsDigits(s); }
  static bool IsNegInt(const std::string& s) { return s.size() > 1 && s[0] == '-' && IsDigits(s, 1); }
  static bool IsInt(const std::string& s) { return IsDigits(s) || IsNegInt(s); }
  static bool IsHash(const std::string& s) { return s == "rjenkins1" || IsInt(s); }

  template <typename Pred>
  Status Expect(Pred ok, const std::string& what, Token& out) {
    if (!More() || !ok(Peek().text)) return Unexpected(what);
    out = Next();
    return Status::Ok();
  }
  Status Keyword(const std::string& word) {
    if (!More() || Peek().text != word) return Unexpected("'" + word + "'");
    Next();
    return Status::Ok();
  }
  Status Unexpected(const std::string& what) {
    if (!More()) {
      const Token end{"", t_.empty() ? 1 : t_.back().line, t_.empty() ? 1 : t_.back().column};
      return Error(end, "parse error: expected " + what + ", found the end of the map");
    }
    return Error(Peek(), "parse error: expected " + what + ", found '" + Peek().text + "'");
  }
  Status Error(const Token& at, const std::string& message) const {
    return Status::InvalidArgument(source_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                                   ": " + message);
  }
  bool More() const { return pos_ < t_.size(); }
  const Token& Peek() const { return t_[pos_]; }
  const Token& Next() { return t_[pos_++]; }

  std::vector<Token> t_;
  std::string source_;
  size_t pos_ = 0;
};

// ---- meaning: Ceph's compiler semantics ----

class Compiler {
 public:
  explicit Compiler(std::string source) : source_(std::move(source)) {}

  Result<Map> Compile(Tree& tree) {
    Status s = CompileAll(tree);
    if (!s.ok()) return s;
    return std::move(map_);
  }

 private:
  Status CompileAll(Tree& tree) {
    for (auto& [name, value] : tree.tunables) CS_RETURN_IF_ERROR(Tunable(name, value));
    for (auto& [id, name, cls] : tree.devices) {
      if (item_id_.count(name.text)) return Error(name, "item " + name.text + " defined twice");
      const int d = Int(id);
      map_.item_names[d] = name.text;
      item_id_[name.text] = d;
      if (cls) map_.item_class[d] = ClassId(cls->text);
    }
    for (auto& [id, name] : tree.types) {
      if (type_id_.count(name.text)) return Error(name, "type " + name.text + " defined twice");
      map_.type_names[Int(id)] = name.text;
      type_id_[name.text] = Int(id);
    }
    // Every id a bucket states (its own and its shadow buckets') is taken
    // before any bucket is numbered.
    for (const BucketDef& b : tree.buckets) {
      for (const auto& [id, cls] : b.ids) used_ids_.insert(Int(id));
    }
    std::vector<size_t> order;
    CS_RETURN_IF_ERROR(OrderBuckets(tree, order));
    bool saw_rule = false;
    size_t next_bucket = 0;
    for (const Entry& e : tree.entries) {
      if (e.is_bucket) {
        const BucketDef& b = tree.buckets[order[next_bucket++]];
        if (saw_rule) return Error(b.type, "buckets must be defined before rules");
        CS_RETURN_IF_ERROR(BucketFrom(b));
      } else {
        // Ceph builds the shadow trees when it meets the first rule.
        if (!saw_rule) PopulateClasses();
        saw_rule = true;
        CS_RETURN_IF_ERROR(RuleFrom(tree.rules[e.index]));
      }
    }
    for (const ChooseArgsDef& c : tree.choose_args) CS_RETURN_IF_ERROR(ChooseArgsFrom(c));
    Finalize(map_);
    return Status::Ok();
  }

  // Device classes are numbered from 0 in the order the map names them.
  int ClassId(const std::string& name) {
    for (const auto& [id, n] : map_.class_names) {
      if (n == name) return id;
    }
    const int id = map_.class_names.empty() ? 0 : map_.class_names.rbegin()->first + 1;
    map_.class_names[id] = name;
    return id;
  }

  // For every root (a bucket in no other, most negative id first) and every
  // class, the shadow tree of that class's devices: Ceph's
  // populate_classes, so the shadow buckets get Ceph's ids.
  void PopulateClasses() {
    std::set<int> contained;
    for (const auto& b : map_.buckets) {
      if (b) contained.insert(b->items.begin(), b->items.end());
    }
    std::set<int> roots;
    for (const auto& b : map_.buckets) {
      if (b && !contained.count(b->id)) roots.insert(b->id);
    }
    for (const auto& [bucket, by_class] : stated_shadow_ids_) {
      for (const auto& [cls, id] : by_class) stated_shadow_set_.insert(id);
    }
    // Ceph stops at the first shadow bucket it cannot make and keeps the
    // ones made so far (the compiler ignores the failure; a rule that takes
    // a class then finds no shadow bucket).
    for (int root : roots) {
      for (const auto& [cls, name] : map_.class_names) {
        int clone = 0;
        if (!CloneForClass(root, cls, &clone)) return;
      }
    }
  }

  // False where Ceph's device_class_clone fails: a uniform shadow bucket
  // grows from an empty one whose item weight is 0, so it refuses any item
  // of another weight; a stated shadow id already in use.
  bool CloneForClass(int original_id, int cls, int* clone) {
    if (auto it = map_.class_bucket.find(original_id); it != map_.class_bucket.end()) {
      if (auto c = it->second.find(cls); c != it->second.end()) {
        *clone = c->second;
        return true;
      }
    }
    const Bucket original = *map_.bucket(original_id);
    std::vector<int> items;
    std::vector<uint32_t> weights;
    for (size_t i = 0; i < original.items.size(); ++i) {
      const int item = original.items[i];
      uint32_t weight = 0;
      int added = item;
      if (item >= 0) {
        auto c = map_.item_class.find(item);
        if (c == map_.item_class.end() || c->second != cls) continue;
        weight = original.item_weights[i];
      } else {
        if (!CloneForClass(item, cls, &added)) return false;
        weight = map_.bucket(added)->weight;
      }
      if (original.alg == BucketAlg::kUniform && weight != 0) return false;
      items.push_back(added);
      weights.push_back(weight);
    }
    int id = 0;
    if (auto s = stated_shadow_ids_.find(original_id); s != stated_shadow_ids_.end() && s->second.count(cls)) {
      id = s->second.at(cls);
    } else {
      // The first id free in the map and not stated for another shadow bucket.
      for (id = -1; (-1L - id < map_.max_buckets() && map_.bucket(id)) || stated_shadow_set_.count(id); --id) {
      }
    }
    const std::string name = map_.item_names.at(original_id) + "~" + map_.class_names.at(cls);
    if (!AddBucket(map_, id, MakeBucket(original.alg, original.hash, original.type, items, weights,
                                        map_.tunables.straw_calc_version))
             .ok()) {
      return false;
    }
    map_.item_names[id] = name;
    map_.item_class[id] = cls;
    map_.class_bucket[original_id][cls] = id;
    *clone = id;
    return true;
  }

  // choose_args INDEX: per bucket, weight sets (one per position, each as
  // many weights as the bucket has items) and ids (as many as its items).
  Status ChooseArgsFrom(const ChooseArgsDef& def) {
    const int index = Int(def.index);
    if (map_.choose_args.count(index)) return Error(def.index, "choose_args " + def.index.text + " duplicated");
    ChooseArgMap args(map_.buckets.size());
    for (const ChooseArgDef& a : def.args) {
      const int id = Int(a.bucket_id);
      const Bucket* b = map_.bucket(id);
      if (-1L - id >= map_.max_buckets()) return Error(a.bucket_id, a.bucket_id.text + " is out of range");
      if (!b) return Error(a.bucket_id, a.bucket_id.text + " does not exist");
      ChooseArg& arg = args[static_cast<size_t>(-1L - id)] ? *args[static_cast<size_t>(-1L - id)]
                                                           : args[static_cast<size_t>(-1L - id)].emplace();
      if (a.weight_set_at) {
        if (a.weight_set.empty()) {
          return Error(*a.weight_set_at, "an empty weight_set for bucket " + a.bucket_id.text +
                                             " (Ceph would read past it): give at least one position");
        }
        arg.weight_set.clear();
        for (const auto& [open, weights] : a.weight_set) {
          if (weights.size() != b->items.size()) {
            return Error(open, a.bucket_id.text + " needs exactly " + std::to_string(b->items.size()) +
                                   " weights but got " + std::to_string(weights.size()));
          }
          std::vector<uint32_t> position;
          for (const Token& w : weights) {
            const float f = std::strtof(w.text.c_str(), nullptr);
            if (f < 0 || f > 65535) return Error(w, "weight " + w.text + " is not between 0 and 65535");
            position.push_back(static_cast<uint32_t>(f * static_cast<float>(kWeightOne)));
          }
          arg.weight_set.push_back(std::move(position));
        }
      }
      if (a.ids_at) {
        if (a.ids.size() != b->items.size()) {
          return Error(*a.ids_at, a.bucket_id.text + " needs exactly " + std::to_string(b->items.size()) +
                                      " ids but got " + std::to_string(a.ids.size()));
        }
        arg.ids.clear();
        for (const Token& i : a.ids) arg.ids.push_back(Int(i));
      }
    }
    map_.choose_args[index] = std::move(args);
    return Status::Ok();
  }

  // Ceph moves a bucket after any later bucket it contains (pairwise swaps
  // of the slots, in its order), which decides the ids of unnumbered buckets.
  Status OrderBuckets(const Tree& tree, std::vector<size_t>& slot) {
    const size_t n = tree.buckets.size();
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) index.emplace(tree.buckets[i].name.text, i);
    std::vector<std::unordered_set<size_t>> contains(n);
    for (size_t i = 0; i < n; ++i) {
      for (const ItemLine& item : tree.buckets[i].items) {
        auto it = index.find(item.name.text);
        if (it != index.end()) contains[i].insert(it->second);
      }
    }
    slot.resize(n);
    for (size_t i = 0; i < n; ++i) slot[i] = i;
    for (size_t i = 0; i < n; ++i) {
      std::vector<size_t> later(contains[i].begin(), contains[i].end());
      std::sort(later.begin(), later.end());
      for (size_t j : later) {
        if (j <= i) continue;
        if (contains[j].count(i)) {
          return Error(tree.buckets[i].name, "bucket '" + tree.buckets[i].name.text + "' and bucket '" +
                                                 tree.buckets[j].name.text + "' are included each other");
        }
        std::swap(slot[i], slot[j]);
      }
    }
    return Status::Ok();
  }

  Status Tunable(const Token& name, const Token& value) {
    const uint32_t v = static_cast<uint32_t>(std::strtoul(value.text.c_str(), nullptr, 10));
    Tunables& t = map_.tunables;
    const std::string& n = name.text;
    if (n == "choose_local_tries") t.choose_local_tries = v;
    else if (n == "choose_local_fallback_tries") t.choose_local_fallback_tries = v;
    else if (n == "choose_total_tries") t.choose_total_tries = v;
    else if (n == "chooseleaf_descend_once") t.chooseleaf_descend_once = v;
    else if (n == "chooseleaf_vary_r") t.chooseleaf_vary_r = v;
    else if (n == "chooseleaf_stable") t.chooseleaf_stable = v;
    else if (n == "straw_calc_version") t.straw_calc_version = v;
    else if (n == "allowed_bucket_algs") t.allowed_bucket_algs = v;
    else return Error(name, "tunable " + n + " not recognized");
    return Status::Ok();
  }

  Status BucketFrom(const BucketDef& def) {
    auto type = type_id_.find(def.type.text);
    if (type == type_id_.end()) return Error(def.type, "bucket type '" + def.type.text + "' is not defined");
    const std::string& name = def.name.text;
    if (item_id_.count(name)) return Error(def.name, "bucket or device '" + name + "' is already defined");
    int id = 0;
    std::map<int, int> shadow_ids;  // class -> the shadow bucket's stated id
    for (const auto& [idtok, cls] : def.ids) {
      if (!cls) {
        id = Int(idtok);
        continue;
      }
      // A class named here exists even with no device of it (an empty
      // shadow tree a rule may still take).
      if (!shadow_ids.emplace(ClassId(cls->text), Int(idtok)).second) {
        return Error(*cls, "duplicate device class " + cls->text + " for bucket " + name);
      }
    }
    BucketAlg alg;
    const std::string& a = def.alg.text;
    if (a == "uniform") alg = BucketAlg::kUniform;
    else if (a == "list") alg = BucketAlg::kList;
    else if (a == "tree") alg = BucketAlg::kTree;
    else if (a == "straw") alg = BucketAlg::kStraw;
    else if (a == "straw2") alg = BucketAlg::kStraw2;
    else return Error(def.alg, "unknown bucket alg '" + a + "'");
    int hash = 0;
    for (const Token& h : def.hashes) hash = h.text == "rjenkins1" ? kHashRjenkins1 : std::atoi(h.text.c_str());

    // Explicit positions first, then the rest fill the free slots in order.
    std::set<int> used;
    for (const ItemLine& item : def.items) {
      if (!item.pos) continue;
      const int pos = Int(*item.pos);
      if (!used.insert(pos).second) {
        return Error(*item.pos, "item '" + item.name.text + "' in bucket '" + name + "' has explicit pos " +
                                    item.pos->text + ", which is occupied");
      }
    }
    int size = static_cast<int>(def.items.size());
    if (!used.empty()) size = std::max(size, *used.rbegin());
    std::vector<int> items(size, 0);
    std::vector<uint32_t> weights(size, 0);
    int curpos = 0;
    std::optional<uint32_t> uniform_weight;
    for (const ItemLine& item : def.items) {
      auto it = item_id_.find(item.name.text);
      if (it == item_id_.end()) {
        return Error(item.name, "item '" + item.name.text + "' in bucket '" + name + "' is not defined");
      }
      const int item_id = it->second;
      uint32_t weight = kWeightOne;
      if (auto w = bucket_weight_.find(item_id); w != bucket_weight_.end()) weight = w->second;
      if (item.weight) {
        const float f = std::strtof(item.weight->text.c_str(), nullptr);
        if (f < 0) return Error(*item.weight, "negative weight " + item.weight->text);
        const float scaled = f * static_cast<float>(kWeightOne);
        if (scaled > static_cast<float>(item_id >= 0 ? 100 * kWeightOne : 65535 * kWeightOne)) {
          return Error(*item.weight, item_id >= 0 ? "device weight limited to 100" : "bucket weight limited to 65535 to prevent overflow");
        }
        weight = static_cast<uint32_t>(scaled);
      }
      if (alg == BucketAlg::kUniform) {
        if (uniform_weight && *uniform_weight != weight) {
          return Error(item.name, "item '" + item.name.text + "' in uniform bucket '" + name +
                                      "' has a weight different from the previous items; uniform bucket items "
                                      "must all have identical weights");
        }
        uniform_weight = weight;
      }
      int pos = item.pos ? Int(*item.pos) : -1;
      if (pos >= size) {
        return Error(*item.pos, "item '" + item.name.text + "' in bucket '" + name + "' has pos " +
                                    std::to_string(pos) + " >= size " + std::to_string(size));
      }
      if (pos < 0) {
        while (used.count(curpos)) ++curpos;
        pos = curpos++;
      }
      items[pos] = item_id;
      weights[pos] = weight;
    }
    if (id == 0) {
      for (id = -1; used_ids_.count(id); --id) {
      }
    }
    Bucket bucket = MakeBucket(alg, hash, type->second, items, weights, map_.tunables.straw_calc_version);
    uint32_t total = 0;
    for (uint32_t w : weights) total += w;
    Status added = AddBucket(map_, id, std::move(bucket));
    if (!added.ok()) return Error(def.name, added.message());
    used_ids_.insert(id);
    if (!shadow_ids.empty()) stated_shadow_ids_[id] = std::move(shadow_ids);
    item_id_[name] = id;
    bucket_weight_[id] = total;
    map_.item_names[id] = name;
    return Status::Ok();
  }

  Status RuleFrom(const RuleDef& def) {
    const std::string rname = def.name ? def.name->text : "";
    if (def.name && rule_id_.count(rname)) return Error(*def.name, "rule name '" + rname + "' already defined");
    Rule rule;
    rule.id = Int(def.id);
    rule.name = rname;
    rule.type = def.type.text == "replicated" ? 1 : 3;
    rule.min_size = Int(def.min_size);
    rule.max_size = Int(def.max_size);
    if (rule.id < static_cast<int>(map_.rules.size()) && map_.rules[rule.id]) {
      return Error(def.id, "rule " + def.id.text + " already exists");
    }
    for (const StepDef& s : def.steps) {
      Step step;
      const std::string& k = s.keyword.text;
      if (k == "take") {
        auto it = item_id_.find(s.args[0].text);
        if (it == item_id_.end()) {
          return Error(s.args[0], "in rule '" + rname + "' item '" + s.args[0].text + "' not defined");
        }
        int take = it->second;
        if (s.args.size() > 1) {
          const std::string& cls = s.args[1].text;
          std::optional<int> class_id;
          for (const auto& [cid, n] : map_.class_names) {
            if (n == cls) class_id = cid;
          }
          if (!class_id) return Error(s.args[1], "in rule '" + rname + "' device class '" + cls + "' is not defined");
          auto shadows = map_.class_bucket.find(take);
          if (shadows == map_.class_bucket.end()) {
            return Error(s.args[0], "in rule '" + rname + "' step take " + s.args[0].text + " has no class information");
          }
          auto shadow = shadows->second.find(*class_id);
          if (shadow == shadows->second.end()) {
            return Error(s.args[1], "in rule '" + rname + "' step take " + s.args[0].text +
                                        " no matching bucket for class " + cls);
          }
          take = shadow->second;
        }
        step = {Op::kTake, take, 0};
      } else if (k == "choose" || k == "chooseleaf") {
        auto type = type_id_.find(s.args[2].text);
        if (type == type_id_.end()) {
          return Error(s.args[2], "in rule '" + rname + "' type '" + s.args[2].text + "' not defined");
        }
        const bool firstn = s.args[0].text == "firstn";
        const Op op = k == "choose" ? (firstn ? Op::kChooseFirstn : Op::kChooseIndep)
                                    : (firstn ? Op::kChooseleafFirstn : Op::kChooseleafIndep);
        step = {op, Int(s.args[1]), type->second};
      } else if (k == "emit") {
        step = {Op::kEmit, 0, 0};
      } else {
        static const std::map<std::string, Op> kSet = {
            {"set_choose_tries", Op::kSetChooseTries},
            {"set_choose_local_tries", Op::kSetChooseLocalTries},
            {"set_choose_local_fallback_tries", Op::kSetChooseLocalFallbackTries},
            {"set_chooseleaf_tries", Op::kSetChooseleafTries},
            {"set_chooseleaf_vary_r", Op::kSetChooseleafVaryR},
            {"set_chooseleaf_stable", Op::kSetChooseleafStable},
        };
        step = {kSet.at(k), Int(s.args[0]), 0};
      }
      rule.steps.push_back(step);
    }
    if (rule.id >= static_cast<int>(map_.rules.size())) map_.rules.resize(rule.id + 1);
    if (!rname.empty()) rule_id_[rname] = rule.id;
    map_.rules[rule.id] = std::move(rule);
    return Status::Ok();
  }

  static int Int(const Token& t) { return static_cast<int>(std::strtol(t.text.c_str(), nullptr, 10)); }
  Status Error(const Token& at, const std::string& message) const {
    return Status::InvalidArgument(source_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                                   ": " + message);
  }

  std::string source_;
  Map map_;
  std::unordered_map<std::string, int> item_id_, type_id_, rule_id_;
  std::unordered_map<int, uint32_t> bucket_weight_;
  std::set<int> used_ids_;
  std::map<int, std::map<int, int>> stated_shadow_ids_;  // bucket -> class -> its "id N class C"
  std::set<int> stated_shadow_set_;
};

}  // namespace

Result<Map> CompileText(const std::string& text, const std::string& source) {
  Parser parser(Tokenize(text), source);
  Result<Tree> tree = parser.Parse();
  if (!tree.ok()) return tree.status();
  Compiler compiler(source);
  return compiler.Compile(*tree);
}

Result<Map> CompileFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read the CRUSH map " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return CompileText(text.str(), path);
}

}  // namespace cs::crush
