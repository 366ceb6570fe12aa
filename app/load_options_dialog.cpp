#include "load_options_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QToolButton>
#include <QVBoxLayout>

#include "display_format.h"
#include "engine_controller.h"
#include "filesystem_path.h"
#include "finding_display.h"
#include "memory_bar.h"

namespace {

QString text(std::string_view view)
{
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

QString severityText(hearth::Severity severity)
{
    switch (severity) {
    case hearth::Severity::info: return LoadOptionsDialog::tr("Info");
    case hearth::Severity::warning: return LoadOptionsDialog::tr("Warning");
    case hearth::Severity::refusal: return LoadOptionsDialog::tr("Refused");
    }
    return QString();
}

QColor severityColor(hearth::Severity severity)
{
    switch (severity) {
    case hearth::Severity::info: return QColor(0x3b, 0x6e, 0xb4);
    case hearth::Severity::warning: return QColor(0xb0, 0x6d, 0x00);
    case hearth::Severity::refusal: return QColor(0xb3, 0x26, 0x1e);
    }
    return {};
}

QStandardItem* itemOf(QComboBox* combo, int row)
{
    auto* model = qobject_cast<QStandardItemModel*>(combo->model());
    return model ? model->item(row) : nullptr;
}

bool isFp8(hearth::TensorType type)
{
    return type == hearth::TensorType::F8_E4M3 || type == hearth::TensorType::F8_E5M2;
}

}  // namespace

LoadOptionsDialog::LoadOptionsDialog(std::shared_ptr<const hearth::ModelInfo> model, const hearth::HardwareInfo& hardware,
                                     bool simulated, EngineController& engine, QWidget* parent)
    : QDialog(parent)
    , m_model(std::move(model))
    , m_hardware(hardware)
    , m_simulated(simulated)
    , m_engine(engine)
{
    setObjectName(QStringLiteral("loadOptionsDialog"));
    setWindowTitle(tr("Load %1").arg(QFileInfo(fromFilesystemPath(m_model->path)).fileName()));
    m_options.simulated = simulated;
    buildUi();
    connect(&m_engine, &EngineController::loaded, this, &LoadOptionsDialog::onLoaded);
    connect(&m_engine, &EngineController::loadFailed, this, &LoadOptionsDialog::onLoadFailed);
    connect(&m_engine, &EngineController::qualityProgress, this, &LoadOptionsDialog::onQualityProgress);
    connect(&m_engine, &EngineController::qualityMeasured, this, &LoadOptionsDialog::onQualityMeasured);
    replan();
}

LoadOptionsDialog::~LoadOptionsDialog()
{
    // A measurement nobody will read is stopped (it would pause the engine's requests for nothing).
    if (m_measureKey)
        m_engine.cancelMeasure();
}

void LoadOptionsDialog::buildUi()
{
    auto* layout = new QVBoxLayout(this);

    const hearth::ModelInfo& info = *m_model;
    QStringList facts{QString::fromStdString(info.architecture)};
    if (info.n_params > 0)
        facts << tr("%1 parameters").arg(DisplayFormat::parameterCount(info.n_params));
    facts << DisplayFormat::byteSize(info.file_bytes);
    auto* heading = new QLabel(QStringLiteral("<b>%1</b><br>%2")
                                   .arg(QFileInfo(fromFilesystemPath(info.path)).fileName().toHtmlEscaped(),
                                        facts.join(QStringLiteral(" · ")).toHtmlEscaped()),
                               this);
    heading->setObjectName(QStringLiteral("modelHeading"));
    layout->addWidget(heading);

    auto* form = new QFormLayout;
    auto supportLabel = [this](const char* name) {
        auto* label = new QLabel(this);
        label->setObjectName(QLatin1String(name));
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QPalette palette = label->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
        label->setPalette(palette);
        return label;
    };

    m_weights = new QComboBox(this);
    m_weights->setObjectName(QStringLiteral("weightsDtype"));
    m_weights->addItem(tr("Auto (the stored type where this device supports it)"), QStringLiteral("auto"));
    m_weights->addItem(tr("FP32"), QStringLiteral("f32"));
    m_weights->addItem(tr("FP16"), QStringLiteral("f16"));
    m_weights->addItem(tr("BF16"), QStringLiteral("bf16"));
    m_weightsSupport = supportLabel("weightsSupport");
    form->addRow(tr("&Weights:"), m_weights);
    form->addRow(QString(), m_weightsSupport);

    m_kv = new QComboBox(this);
    m_kv->setObjectName(QStringLiteral("kvDtype"));
    m_kv->addItem(tr("Auto (the compute type)"), QStringLiteral("auto"));
    m_kv->addItem(tr("FP32"), QStringLiteral("f32"));
    m_kv->addItem(tr("FP16"), QStringLiteral("f16"));
    m_kv->addItem(tr("BF16"), QStringLiteral("bf16"));
    m_kv->addItem(tr("FP8 E4M3 (half the memory of FP16)"), QStringLiteral("fp8-e4m3"));
    m_kv->addItem(tr("FP8 E5M2 (coarser)"), QStringLiteral("fp8-e5m2"));
    m_kvSupport = supportLabel("kvSupport");
    form->addRow(tr("&KV cache:"), m_kv);
    form->addRow(QString(), m_kvSupport);

    m_context = new QSpinBox(this);
    m_context->setObjectName(QStringLiteral("contextLength"));
    m_context->setRange(0, int(std::min<std::int64_t>(info.context_length > 0 ? info.context_length : 1 << 20, 1 << 24)));
    m_context->setSingleStep(256);
    m_context->setSpecialValueText(tr("Auto (the model's, up to 4,096, shrunk to what fits)"));
    m_context->setSuffix(tr(" tokens"));
    m_context->setKeyboardTracking(false);
    form->addRow(tr("&Context length:"), m_context);

    m_device = new QComboBox(this);
    m_device->setObjectName(QStringLiteral("device"));
    m_device->addItem(tr("Auto (a GPU if there is one)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    for (const hearth::GpuDevice& gpu : m_hardware.gpus)
        m_device->addItem(QStringLiteral("cuda:%1 — %2").arg(gpu.index).arg(QString::fromStdString(gpu.name)),
                          QStringLiteral("cuda:%1").arg(gpu.index));
    if (m_hardware.gpus.empty())
        m_device->addItem(tr("GPU"), QStringLiteral("cuda:0"));
    m_deviceSupport = supportLabel("deviceSupport");
    form->addRow(tr("&Device:"), m_device);
    form->addRow(QString(), m_deviceSupport);
    layout->addLayout(form);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("planSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);

    m_memory = new MemoryBar(this);
    m_memory->setObjectName(QStringLiteral("memoryBar"));
    layout->addWidget(m_memory);

    auto* findingsGroup = new QGroupBox(tr("What Hearth will do, and what you should know"), this);
    auto* findingsOuter = new QVBoxLayout(findingsGroup);
    auto* scroll = new QScrollArea(findingsGroup);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_findingsBox = new QWidget(scroll);
    m_findingsBox->setObjectName(QStringLiteral("findings"));
    m_findingsLayout = new QVBoxLayout(m_findingsBox);
    m_findingsLayout->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(m_findingsBox);
    findingsOuter->addWidget(scroll);
    auto* copyAll = new QPushButton(tr("Copy all findings"), findingsGroup);
    copyAll->setObjectName(QStringLiteral("copyFindings"));
    connect(copyAll, &QPushButton::clicked, this, &LoadOptionsDialog::copyFindings);
    findingsOuter->addWidget(copyAll, 0, Qt::AlignRight);
    layout->addWidget(findingsGroup, 1);

    m_qualityBox = new QGroupBox(tr("FP8 KV cache quality"), this);
    m_qualityBox->setObjectName(QStringLiteral("qualityBox"));
    auto* quality = new QVBoxLayout(m_qualityBox);
    auto* qualityRow = new QHBoxLayout;
    m_measureButton = new QPushButton(tr("Measure quality"), m_qualityBox);
    m_measureButton->setObjectName(QStringLiteral("measureQuality"));
    m_measureButton->setToolTip(tr("Runs a built-in text of about 512 tokens through the loaded model with this KV "
                                   "cache and with FP16, and compares the next-token predictions."));
    connect(m_measureButton, &QPushButton::clicked, this, &LoadOptionsDialog::startMeasurement);
    m_measureProgress = new QProgressBar(m_qualityBox);
    m_measureProgress->setObjectName(QStringLiteral("measureProgress"));
    m_measureProgress->setRange(0, 100);
    m_measureProgress->hide();
    m_cancelMeasureButton = new QPushButton(tr("Cancel"), m_qualityBox);
    m_cancelMeasureButton->setObjectName(QStringLiteral("cancelMeasure"));
    m_cancelMeasureButton->hide();
    connect(m_cancelMeasureButton, &QPushButton::clicked, this, [this] {
        if (m_waitingForLoad)
            m_engine.cancelLoad();
        m_engine.cancelMeasure();
    });
    qualityRow->addWidget(m_measureButton);
    qualityRow->addWidget(m_measureProgress, 1);
    qualityRow->addWidget(m_cancelMeasureButton);
    quality->addLayout(qualityRow);
    m_qualityResult = new QLabel(m_qualityBox);
    m_qualityResult->setObjectName(QStringLiteral("qualityResult"));
    m_qualityResult->setWordWrap(true);
    m_qualityResult->setTextFormat(Qt::PlainText);
    m_qualityResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    quality->addWidget(m_qualityResult);
    layout->addWidget(m_qualityBox);

    auto* buttons = new QDialogButtonBox(this);
    m_loadButton = buttons->addButton(tr("&Load"), QDialogButtonBox::AcceptRole);
    m_loadButton->setObjectName(QStringLiteral("loadButton"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_plan->refused())
            return;
        emit loadRequested(m_plan);
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    const auto changed = [this] {
        if (!m_updating)
            replan();
    };
    connect(m_weights, &QComboBox::currentIndexChanged, this, changed);
    connect(m_kv, &QComboBox::currentIndexChanged, this, changed);
    connect(m_device, &QComboBox::currentIndexChanged, this, changed);
    connect(m_context, &QSpinBox::valueChanged, this, changed);
    resize(640, 720);
}

void LoadOptionsDialog::readOptions()
{
    m_options.weights = hearth::parse_weights_dtype(m_weights->currentData().toString().toStdString())
                            .value_or(hearth::WeightsDtype::auto_);
    m_options.kv = hearth::parse_kv_dtype(m_kv->currentData().toString().toStdString()).value_or(hearth::KvDtype::auto_);
    m_options.device = hearth::parse_device(m_device->currentData().toString().toStdString()).value_or(hearth::DeviceChoice{});
    m_options.context_length = m_context->value();
    m_options.simulated = m_simulated;
}

bool LoadOptionsDialog::choose(const QString& field, const QString& word)
{
    QComboBox* combo = field == QLatin1String("weights") ? m_weights
                       : field == QLatin1String("kv")    ? m_kv
                       : field == QLatin1String("device") ? m_device
                                                          : nullptr;
    if (!combo)
        return false;
    const int row = combo->findData(word);
    const QStandardItem* item = row < 0 ? nullptr : itemOf(combo, row);
    if (!item || !item->isEnabled())
        return false;
    combo->setCurrentIndex(row);
    return true;
}

hearth::TensorType LoadOptionsDialog::chosenKvType() const
{
    return m_plan ? m_plan->kv_cache_type : hearth::TensorType::F16;
}

void LoadOptionsDialog::replan()
{
    readOptions();
    // The plan's KV type decides which measurement applies; it is known only after planning once.
    m_options.kv_quality.reset();
    auto planned = std::make_shared<hearth::LoadPlan>(hearth::plan(*m_model, m_hardware, m_options));
    const auto measured = m_quality.constFind(int(planned->kv_cache_type));
    if (measured != m_quality.constEnd()) {
        m_options.kv_quality = *measured;
        planned = std::make_shared<hearth::LoadPlan>(hearth::plan(*m_model, m_hardware, m_options));
    }
    m_plan = std::move(planned);

    const hearth::LoadPlan& p = *m_plan;
    const QString device = p.device == "cpu" ? tr("the CPU") : QString::fromStdString(p.device);
    QString summary;
    if (p.refused()) {
        summary = tr("This combination cannot be loaded: see the refusals below.");
    } else {
        summary = tr("Runs on %1 (%2). Weights: %3; compute: %4; KV cache: %5. Context: %6 tokens (up to %7 fit).")
                      .arg(device, QString::fromStdString(p.device_name),
                           QString::fromStdString(p.weights_description.empty() ? std::string(hearth::name(p.weights_type))
                                                                                : p.weights_description),
                           text(hearth::name(p.compute_type)), text(hearth::name(p.kv_cache_type)),
                           DisplayFormat::integer(p.context_length), DisplayFormat::integer(p.max_context_that_fits));
    }
    m_summary->setText(summary);
    m_memory->setUsage(p.memory.weights, p.memory.kv_cache, p.memory.workspace + p.memory.overhead, p.memory.budget);
    m_loadButton->setEnabled(!p.refused());
    m_loadButton->setToolTip(p.refused() ? tr("The planner refuses these options; the findings say what to choose instead.")
                                         : QString());
    updateChoiceSupport();
    showFindings();
    updateQualitySection();
}

QString LoadOptionsDialog::unsupportedReason(const hearth::LoadOptions& options) const
{
    const hearth::LoadPlan p = hearth::plan(*m_model, m_hardware, options);
    for (const hearth::Finding& f : p.findings) {
        if (f.severity != hearth::Severity::refusal)
            continue;
        if (f.code == "bf16-unsupported")
            return tr("BF16 needs compute capability 8.0; this GPU has %1").arg(QString::fromStdString(std::string(f.arg("cc"))));
        if (f.code == "weights-dtype-unsupported" || f.code == "device-missing")
            return FindingDisplay::message(f);
    }
    return QString();
}

void LoadOptionsDialog::updateChoiceSupport()
{
    m_updating = true;
    // Each choice is planned with the others as they are now: what is supported depends on the device.
    auto check = [this](QComboBox* combo, QLabel* label, auto apply) {
        QStringList notes;
        for (int row = 0; row < combo->count(); ++row) {
            hearth::LoadOptions options = m_options;
            options.kv_quality.reset();
            if (!apply(options, combo->itemData(row).toString().toStdString()))
                continue;
            const QString reason = unsupportedReason(options);
            QStandardItem* item = itemOf(combo, row);
            if (!item)
                continue;
            // The current choice stays selectable, so the plan can say why it is refused.
            item->setEnabled(reason.isEmpty() || row == combo->currentIndex());
            item->setToolTip(reason);
            if (!reason.isEmpty())
                notes << tr("%1: %2").arg(combo->itemText(row), reason);
        }
        label->setText(notes.isEmpty() ? QString() : tr("Not available here — %1").arg(notes.join(QStringLiteral("; "))));
        label->setVisible(!notes.isEmpty());
    };
    check(m_weights, m_weightsSupport, [](hearth::LoadOptions& o, const std::string& word) {
        const auto value = hearth::parse_weights_dtype(word);
        if (value)
            o.weights = *value;
        return value.has_value();
    });
    check(m_kv, m_kvSupport, [](hearth::LoadOptions& o, const std::string& word) {
        const auto value = hearth::parse_kv_dtype(word);
        if (value)
            o.kv = *value;
        return value.has_value();
    });
    check(m_device, m_deviceSupport, [](hearth::LoadOptions& o, const std::string& word) {
        const auto value = hearth::parse_device(word);
        if (value)
            o.device = *value;
        return value.has_value();
    });
    m_updating = false;
}

void LoadOptionsDialog::showFindings()
{
    while (QLayoutItem* item = m_findingsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const hearth::Finding& finding : m_plan->findings) {
        auto* frame = new QFrame(m_findingsBox);
        frame->setFrameShape(QFrame::StyledPanel);
        frame->setProperty("findingCode", QString::fromStdString(finding.code));
        auto* row = new QHBoxLayout(frame);
        auto* label = new QLabel(frame);
        label->setObjectName(QStringLiteral("finding"));
        label->setProperty("findingCode", QString::fromStdString(finding.code));
        label->setWordWrap(true);
        label->setTextFormat(Qt::RichText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setText(QStringLiteral("<b style=\"color:%1\">%2</b> <code>%3</code><br>%4<br><i>%5</i> %6")
                           .arg(severityColor(finding.severity).name(), severityText(finding.severity).toHtmlEscaped(),
                                QString::fromStdString(finding.code).toHtmlEscaped(),
                                FindingDisplay::message(finding).toHtmlEscaped(), tr("Suggestion:").toHtmlEscaped(),
                                FindingDisplay::suggestion(finding).toHtmlEscaped()));
        row->addWidget(label, 1);
        auto* copy = new QToolButton(frame);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy this finding's code, message and suggestion"));
        const QString plain = FindingDisplay::plainText(finding);
        connect(copy, &QToolButton::clicked, this, [plain] { QApplication::clipboard()->setText(plain); });
        row->addWidget(copy, 0, Qt::AlignTop);
        m_findingsLayout->addWidget(frame);
    }
    if (m_plan->findings.empty()) {
        auto* none = new QLabel(tr("Nothing to report: this model runs as it is stored."), m_findingsBox);
        m_findingsLayout->addWidget(none);
    }
    m_findingsLayout->addStretch(1);
}

void LoadOptionsDialog::copyFindings()
{
    QStringList all;
    for (const hearth::Finding& finding : m_plan->findings)
        all << FindingDisplay::plainText(finding);
    QApplication::clipboard()->setText(all.join(QStringLiteral("\n\n")));
}

bool LoadOptionsDialog::modelIsLoaded() const
{
    const auto& loaded = m_engine.model();
    return m_engine.state() == EngineController::State::ready && loaded &&
           QFileInfo(loaded->path) == QFileInfo(fromFilesystemPath(m_model->path));
}

void LoadOptionsDialog::updateQualitySection()
{
    const hearth::TensorType kv = chosenKvType();
    m_qualityBox->setVisible(isFp8(kv));
    if (!isFp8(kv))
        return;
    const bool busy = m_measureKey.has_value() || m_waitingForLoad;
    m_measureButton->setEnabled(!busy);
    m_measureButton->setText(modelIsLoaded() ? tr("Measure quality") : tr("Load and measure quality"));
    if (busy)
        return;
    const auto measured = m_quality.constFind(int(kv));
    m_qualityResult->setText(measured != m_quality.constEnd()
                                 ? describeQuality(*measured)
                                 : tr("Not measured yet. The measurement compares this cache with FP16 on the loaded "
                                      "model, on a built-in text; it takes a few seconds on small models."));
}

void LoadOptionsDialog::startMeasurement()
{
    m_measuring = chosenKvType();
    if (modelIsLoaded()) {
        measureLoadedModel();
        return;
    }
    // The measurement runs on the CPU engine: plan this model for the CPU with its stored weights.
    hearth::LoadOptions cpu = m_options;
    cpu.device.kind = hearth::DeviceChoice::Kind::cpu;
    cpu.weights = hearth::WeightsDtype::auto_;
    cpu.kv_quality.reset();
    auto plan = std::make_shared<const hearth::LoadPlan>(hearth::plan(*m_model, m_hardware, cpu));
    if (plan->refused()) {
        m_qualityResult->setText(tr("The model cannot be loaded on this machine to measure it; see the findings."));
        return;
    }
    m_waitingForLoad = true;
    m_measureProgress->setRange(0, 0);
    m_measureProgress->show();
    m_cancelMeasureButton->show();
    m_qualityResult->setText(tr("Loading the model to measure it…"));
    updateQualitySection();
    emit loadRequested(plan);
}

void LoadOptionsDialog::measureLoadedModel()
{
    m_measureKey = m_engine.measureKvQuality({m_measuring});
    m_measureProgress->setRange(0, 100);
    m_measureProgress->setValue(0);
    m_measureProgress->show();
    m_cancelMeasureButton->show();
    m_qualityResult->setText(tr("Measuring…"));
    updateQualitySection();
}

void LoadOptionsDialog::onLoaded(const LoadedModel&)
{
    if (!m_waitingForLoad)
        return;
    m_waitingForLoad = false;
    if (modelIsLoaded())
        measureLoadedModel();
}

void LoadOptionsDialog::onLoadFailed(const QString&, const QString& message, bool cancelled)
{
    if (!m_waitingForLoad)
        return;
    m_waitingForLoad = false;
    m_measureProgress->hide();
    m_cancelMeasureButton->hide();
    m_qualityResult->setText(cancelled ? tr("Cancelled.") : tr("The model could not be loaded: %1").arg(message));
    updateQualitySection();
}

void LoadOptionsDialog::onQualityProgress(quint64 key, double fraction)
{
    if (m_measureKey == key)
        m_measureProgress->setValue(int(fraction * 100.0));
}

void LoadOptionsDialog::onQualityMeasured(quint64 key, const KvQualityResult& result)
{
    if (m_measureKey != key)
        return;
    m_measureKey.reset();
    m_measureProgress->hide();
    m_cancelMeasureButton->hide();
    if (!result.error.isEmpty() || result.reports.isEmpty()) {
        m_qualityResult->setText(result.cancelled ? tr("Measurement cancelled.")
                                                  : tr("The measurement failed: %1").arg(result.error));
        updateQualitySection();
        return;
    }
    for (const hearth::KvQualityReport& report : result.reports)
        m_quality.insert(int(report.candidate), report);
    // The plan's fp8-kv-* finding carries the measurement from now on.
    replan();
}

QString LoadOptionsDialog::describeQuality(const hearth::KvQualityReport& report)
{
    const double kl = report.mean_kl;
    QString verdict;
    if (kl < 0.01)
        verdict = tr("no visible effect expected");
    else if (kl < 0.05)
        verdict = tr("small differences; answers may now and then be worded differently");
    else
        verdict = tr("noticeable differences; prefer an FP16 KV cache");
    const QLocale locale;
    return tr("Next-token distributions differ by %1 nats on average — %2.")
               .arg(locale.toString(kl, 'f', kl > 0.0 && kl < 0.001 ? 5 : 3), verdict) +
           QLatin1Char('\n') +
           tr("The most likely next token is the same at %1% of %2 positions; the worst position differs by %3 nats.")
               .arg(locale.toString(report.argmax_agreement * 100.0, 'f', 1), DisplayFormat::integer(report.positions),
                    locale.toString(report.max_kl, 'f', 3));
}
