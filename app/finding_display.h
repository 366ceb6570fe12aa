#pragma once
// A planner finding in the GUI's words and the user's language. The engine renders its English text from
// one table (engine/plan/finding_text.cpp) and keeps the values in Finding::args; the GUI renders the same
// findings again from its own table of translatable templates, keyed the same way ("code" or
// "code/variant"), with suggestions that name the load dialog's controls instead of command-line flags.
// A code the GUI has no template for (a newer planner) shows the engine's English as it is.

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "hearth/load_plan.h"

class FindingDisplay final {
    Q_DECLARE_TR_FUNCTIONS(FindingDisplay)

public:
    FindingDisplay() = delete;

    static QString message(const hearth::Finding& finding);
    static QString suggestion(const hearth::Finding& finding);
    // "warning fp8-kv-gqa: <message>\nSuggestion: <suggestion>", as the load dialog's Copy puts it.
    static QString plainText(const hearth::Finding& finding);

    // The template key of `finding`: its code, plus "/variant" for the codes whose wording depends on the
    // case (told apart by severity and by which args the planner filled, never by the engine's text).
    static QString templateKey(const hearth::Finding& finding);
    // Every key the GUI has templates for, in table order.
    static QStringList templateKeys();
    // Whether the GUI has its own templates for `finding` (false: the engine's text is shown).
    static bool hasTemplate(const hearth::Finding& finding);
};
