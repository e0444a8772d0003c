#include <utility>

#include "detio/errors.h"

namespace detio {

ExceptionGroup::Split ExceptionGroup::split(Predicate matches) const {
  if (matches(std::make_exception_ptr(*this))) return Split{*this, std::nullopt};
  std::vector<std::exception_ptr> matched;
  std::vector<std::exception_ptr> rest;
  for (const std::exception_ptr& e : exceptions_) {
    bool nested = false;
    Split parts;
    try {
      std::rethrow_exception(e);
    } catch (const ExceptionGroup& group) {
      nested = true;
      parts = group.split(matches);
    } catch (...) {
    }
    if (!nested) {
      (matches(e) ? matched : rest).push_back(e);
    } else if (!parts.rest) {
      matched.push_back(e);  // wholly matched: the group itself, as Python
    } else if (!parts.match) {
      rest.push_back(e);
    } else {
      matched.push_back(std::make_exception_ptr(std::move(*parts.match)));
      rest.push_back(std::make_exception_ptr(std::move(*parts.rest)));
    }
  }
  Split result;
  if (!matched.empty()) result.match.emplace(message_, std::move(matched));
  if (!rest.empty()) result.rest.emplace(message_, std::move(rest));
  return result;
}

std::optional<ExceptionGroup> ExceptionGroup::subgroup(Predicate matches) const {
  return split(matches).match;
}

}  // namespace detio
