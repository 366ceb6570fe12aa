<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Hearth</source>
        <translation>关于 Hearth</translation>
    </message>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>版本 %1</translation>
    </message>
    <message>
        <source>Chat with large language models on your own computer.</source>
        <translation>在你自己的电脑上与大语言模型聊天。</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Detecting hardware…</source>
        <translation>正在检测硬件…</translation>
    </message>
    <message>
        <source>Copy to Clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>CPU: %1</source>
        <translation>CPU：%1</translation>
    </message>
    <message>
        <source>unknown CPU</source>
        <translation>未知 CPU</translation>
    </message>
    <message>
        <source>CPU threads: %1</source>
        <translation>CPU 线程数：%1</translation>
    </message>
    <message>
        <source>CPU features: %1</source>
        <translation>CPU 特性：%1</translation>
    </message>
    <message>
        <source>none that Hearth uses</source>
        <translation>没有 Hearth 可用的特性</translation>
    </message>
    <message>
        <source>%1 (%2 available)</source>
        <translation>%1（可用 %2）</translation>
    </message>
    <message>
        <source>Memory: %1</source>
        <translation>内存：%1</translation>
    </message>
    <message>
        <source>no usable NVIDIA GPU</source>
        <translation>没有可用的 NVIDIA GPU</translation>
    </message>
    <message>
        <source>GPU: none (%1)</source>
        <translation>GPU：无（%1）</translation>
    </message>
    <message>
        <source>%1 (%2 free)</source>
        <translation>%1（空闲 %2）</translation>
    </message>
    <message>
        <source>compute capability %1.%2</source>
        <translation>计算能力 %1.%2</translation>
    </message>
    <message>
        <source>FP8 tensor cores</source>
        <translation>FP8 张量核心</translation>
    </message>
    <message>
        <source>GPU %1: %2</source>
        <translation>GPU %1：%2</translation>
    </message>
    <message>
        <source>Driver: %1</source>
        <translation>驱动：%1</translation>
    </message>
    <message>
        <source>Hearth %1</source>
        <translation>Hearth %1</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Load a model…</source>
        <translation>加载模型…</translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter for a new line)</source>
        <translation>消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Write the last answer again</source>
        <translation>重新写最后一条回答</translation>
    </message>
    <message>
        <source>No model is loaded. Load one to start chatting.</source>
        <translation>尚未加载模型。加载一个模型即可开始聊天。</translation>
    </message>
    <message>
        <source>The model is loading…</source>
        <translation>正在加载模型…</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Send a message to start the conversation.</source>
        <translation>发送一条消息开始对话。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CodeBlockWidget</name>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Copy this code block</source>
        <translation>复制此代码块</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Hearth: chat with large language models on your own computer.</source>
        <translation>Hearth：在你自己的电脑上与大语言模型聊天。</translation>
    </message>
    <message>
        <source>Log level: trace, debug, info, warn, error, critical or off. Default: the HEARTH_LOG environment variable, else info.</source>
        <translation>日志级别：trace、debug、info、warn、error、critical 或 off。默认取环境变量 HEARTH_LOG，未设置时为 info。</translation>
    </message>
    <message>
        <source>level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>MODEL</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>A model to open: a .gguf file or a Hugging Face folder.</source>
        <translation>要打开的模型：.gguf 文件或 Hugging Face 文件夹。</translation>
    </message>
    <message>
        <source>[MODEL]</source>
        <translation>[模型]</translation>
    </message>
    <message>
        <source>Only one model can be opened at a time; got %1 arguments: %2</source>
        <translation>一次只能打开一个模型；收到了 %1 个参数：%2</translation>
    </message>
    <message>
        <source>Try &apos;hearth --help&apos; for more information.</source>
        <translation>运行 &apos;hearth --help&apos; 了解更多信息。</translation>
    </message>
    <message>
        <source>Plan for a described machine instead of this one (the model manager&apos;s fit badges and the load dialog): %1.</source>
        <translation>按描述的机器而不是本机进行规划（模型管理器的适配标记和加载对话框）：%1。</translation>
    </message>
    <message>
        <source>profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Unknown hardware profile &apos;%1&apos;; known: %2</source>
        <translation>未知的硬件配置“%1”；已知配置：%2</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <source>New chat</source>
        <translation>新聊天</translation>
    </message>
    <message>
        <source>Search all messages</source>
        <translation>搜索全部消息</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Delete Conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <source>Delete &quot;%1&quot; and all its messages? This cannot be undone.</source>
        <translation>删除“%1”及其全部消息？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationStore</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
</context>
<context>
    <name>DisplayFormat</name>
    <message>
        <source>%1 K</source>
        <comment>thousand parameters</comment>
        <translation>%1 千</translation>
    </message>
    <message>
        <source>%1 M</source>
        <comment>million parameters</comment>
        <translation>%1 百万</translation>
    </message>
    <message>
        <source>%1 B</source>
        <comment>billion parameters</comment>
        <translation>%1 十亿</translation>
    </message>
    <message>
        <source>%1 T</source>
        <comment>trillion parameters</comment>
        <translation>%1 万亿</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
</context>
<context>
    <name>EngineController</name>
    <message>
        <source>loading was cancelled</source>
        <translation>加载已取消</translation>
    </message>
</context>
<context>
    <name>EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>尚未加载模型。</translation>
    </message>
    <message>
        <source>Load the model first: the quality is measured on the loaded model.</source>
        <translation>请先加载模型：质量是在已加载的模型上测量的。</translation>
    </message>
    <message>
        <source>The model has no tokenizer, so the calibration text cannot be read: %1</source>
        <translation>该模型没有分词器，无法读取校准文本：%1</translation>
    </message>
</context>
<context>
    <name>FindingDisplay</name>
    <message>
        <source>This model&apos;s weights are stored in BF16, which the {device} (compute capability {cc}) cannot compute with. Hearth will convert them to FP16. FP16 has a smaller range than BF16, so the conversion checks every value (see fp16-range).</source>
        <translation>此模型的权重以 BF16 存储，而 {device}（计算能力 {cc}）无法用 BF16 计算。Hearth 会将其转换为 FP16。FP16 的数值范围比 BF16 小，因此转换时会检查每一个值（见 fp16-range）。</translation>
    </message>
    <message>
        <source>Nothing to do unless values are reported out of range; then choose CPU in Device, or use a GPU with compute capability 8.0 or newer, which keeps BF16.</source>
        <translation>除非报告有数值超出范围，否则无需操作；若超出，请在“设备”中选择 CPU，或使用计算能力 8.0 或更高的 GPU（可保留 BF16）。</translation>
    </message>
    <message>
        <source>You asked for BF16, but the {device} (compute capability {cc}) cannot compute in BF16: that needs compute capability 8.0 or newer.</source>
        <translation>你选择了 BF16，但 {device}（计算能力 {cc}）无法以 BF16 计算：这需要计算能力 8.0 或更高。</translation>
    </message>
    <message>
        <source>Choose FP16 or Auto in Weights (Hearth converts to FP16 and checks the range), or CPU in Device.</source>
        <translation>请在“权重”中选择 FP16 或“自动”（Hearth 会转换为 FP16 并检查数值范围），或在“设备”中选择 CPU。</translation>
    </message>
    <message>
        <source>{count} of the {scanned} weights converted to FP16 are too large for FP16 (beyond ±65504) and would turn into infinity; the first is in tensor &apos;{tensor}&apos;. The model&apos;s answers may break.</source>
        <translation>在转换为 FP16 的 {scanned} 个权重中，有 {count} 个超出 FP16 的范围（超过 ±65504），会变成无穷大；第一个位于张量“{tensor}”中。模型的回答可能会出错。</translation>
    </message>
    <message>
        <source>Keep the stored precision: choose Auto in Weights on a GPU with BF16 support (compute capability 8.0 or newer), or CPU in Device.</source>
        <translation>请保留存储精度：在支持 BF16 的 GPU（计算能力 8.0 或更高）上于“权重”中选择“自动”，或在“设备”中选择 CPU。</translation>
    </message>
    <message>
        <source>All {scanned} weights converted to FP16 fit FP16&apos;s range; none were clipped.</source>
        <translation>转换为 FP16 的全部 {scanned} 个权重都在 FP16 的范围内，没有被截断。</translation>
    </message>
    <message>
        <source>Nothing to do.</source>
        <translation>无需操作。</translation>
    </message>
    <message>
        <source>The weights will be converted to FP16; values too large for FP16 are counted while converting.</source>
        <translation>权重将被转换为 FP16；超出 FP16 范围的值会在转换时统计。</translation>
    </message>
    <message>
        <source>Nothing to do now. If answers look broken after loading, choose CPU in Device, which keeps the stored precision.</source>
        <translation>目前无需操作。如果加载后回答看起来不正常，请在“设备”中选择 CPU，它会保留存储精度。</translation>
    </message>
    <message>
        <source>You chose an FP8 KV cache on a model whose query heads share key/value heads ({heads} query heads, {kv_heads} key/value). Each stored key and value serves {group} query heads, so its rounding error counts {group} times; on some models this makes answers repeat or drift after a while.{measured}</source>
        <translation>你为一个查询头共享键/值头的模型（{heads} 个查询头，{kv_heads} 个键/值头）选择了 FP8 KV 缓存。每个存储的键和值要服务 {group} 个查询头，因此其舍入误差会被计入 {group} 次；在某些模型上，这会使回答在一段时间后出现重复或偏离。{measured}</translation>
    </message>
    <message>
        <source>Measure it on this model before relying on it (Measure quality, below). If the difference is noticeable, choose FP16 in KV cache.</source>
        <translation>请先在此模型上测量（下方的“测量质量”），再决定是否依赖它。如果差异明显，请在“KV 缓存”中选择 FP16。</translation>
    </message>
    <message>
        <source>A mean KL divergence below about 0.01 and agreement near 100% are hard to notice in answers; if the numbers are worse, or you see repetition, choose FP16 in KV cache.</source>
        <translation>平均 KL 散度低于约 0.01、一致率接近 100% 时，回答中很难察觉差异；如果数值更差，或你发现回答重复，请在“KV 缓存”中选择 FP16。</translation>
    </message>
    <message>
        <source>The FP8 E5M2 KV cache keeps only 2 bits of precision per value and no scales, so keys and values are rounded about 4 times more coarsely than with FP8 E4M3.{measured}</source>
        <translation>FP8 E5M2 KV 缓存每个值只保留 2 位精度且没有缩放因子，因此键和值的舍入比 FP8 E4M3 粗约 4 倍。{measured}</translation>
    </message>
    <message>
        <source>Prefer FP8 E4M3 in KV cache: it saves almost the same memory and stays closer to a 16-bit cache.</source>
        <translation>建议在“KV 缓存”中选择 FP8 E4M3：它节省的内存几乎相同，且更接近 16 位缓存。</translation>
    </message>
    <message>
        <source>The FP8 KV cache saves {saved} per 1,000 tokens compared with {reference}; in this memory the context can grow to {fits} tokens.</source>
        <translation>与 {reference} 相比，FP8 KV 缓存每 1,000 个词元节省 {saved}；在这些内存中，上下文最多可达 {fits} 个词元。</translation>
    </message>
    <message>
        <source>A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the weights. Hearth will use a {fits}-token context instead.</source>
        <translation>{wanted} 个词元的上下文需要 {kv} 的 KV 缓存，超过了 {device} 在放下权重后剩余的内存。Hearth 将改用 {fits} 个词元的上下文。</translation>
    </message>
    <message>
        <source>To keep a longer context, choose FP8 E4M3 in KV cache (about {fp8_fits} tokens fit) or use a device with more memory.</source>
        <translation>如需保留更长的上下文，请在“KV 缓存”中选择 FP8 E4M3（约可容纳 {fp8_fits} 个词元），或使用内存更大的设备。</translation>
    </message>
    <message>
        <source>A {wanted}-token context needs {kv} of KV cache, more than the {device} has left after the weights. At most {fits} tokens fit.</source>
        <translation>{wanted} 个词元的上下文需要 {kv} 的 KV 缓存，超过了 {device} 在放下权重后剩余的内存。最多只能容纳 {fits} 个词元。</translation>
    </message>
    <message>
        <source>Set Context length to {fits} tokens or less, or choose FP8 E4M3 in KV cache (about {fp8_fits} tokens fit).</source>
        <translation>请将“上下文长度”设为 {fits} 个词元或更少，或在“KV 缓存”中选择 FP8 E4M3（约可容纳 {fp8_fits} 个词元）。</translation>
    </message>
    <message>
        <source>The model&apos;s weights need {weights}, and running it needs {other} more, but the {device} has only {budget} available.</source>
        <translation>模型的权重需要 {weights}，运行还需另外 {other}，但 {device} 只有 {budget} 可用。</translation>
    </message>
    <message>
        <source>Hearth cannot run &apos;{arch}&apos; models yet. It runs: {supported}.</source>
        <translation>Hearth 暂时无法运行“{arch}”模型。支持的有：{supported}。</translation>
    </message>
    <message>
        <source>Choose a model of a supported family; a model&apos;s details show its architecture.</source>
        <translation>请选择受支持系列的模型；模型详情中会显示其架构。</translation>
    </message>
    <message>
        <source>This is a mixture-of-experts model ({experts} experts, {used} used per token). The plan below is what Hearth will do with it, but Hearth&apos;s engine has no expert layers yet, so it cannot run it.</source>
        <translation>这是一个混合专家模型（{experts} 个专家，每个词元使用 {used} 个）。下面的方案说明了 Hearth 会如何处理它，但 Hearth 的引擎尚无专家层，因此无法运行。</translation>
    </message>
    <message>
        <source>Choose a dense model of the same family for now.</source>
        <translation>目前请选择同一系列的稠密模型。</translation>
    </message>
    <message>
        <source>Hearth cannot run this model as configured: {reason}</source>
        <translation>Hearth 无法按当前配置运行此模型：{reason}</translation>
    </message>
    <message>
        <source>Check the model&apos;s config.json, or choose another model.</source>
        <translation>请检查模型的 config.json，或选择其他模型。</translation>
    </message>
    <message>
        <source>This checkpoint is quantized with {method} ({detail}). It needs the {path} kernel, which Hearth does not have yet, so it cannot be loaded.</source>
        <translation>此检查点使用 {method} 量化（{detail}）。它需要 {path} 内核，而 Hearth 尚未提供，因此无法加载。</translation>
    </message>
    <message>
        <source>Use a GGUF file of the same model (Q4_K_M is about as small) or its unquantized checkpoint.</source>
        <translation>请使用同一模型的 GGUF 文件（Q4_K_M 的大小相近）或其未量化的检查点。</translation>
    </message>
    <message>
        <source>{count} layers stored as {layout} run on the generic dequantize-then-multiply path on the {device}: the results are the same, but it is slower than the {fast} kernel, which needs {requirement}.</source>
        <translation>以 {layout} 存储的 {count} 个层在 {device} 上走通用的“先反量化再相乘”路径：结果相同，但比需要 {requirement} 的 {fast} 内核慢。</translation>
    </message>
    <message>
        <source>Nothing needed. For more speed, use a device with {requirement}.</source>
        <translation>无需操作。如需更快的速度，请使用具备 {requirement} 的设备。</translation>
    </message>
    <message>
        <source>This {method} checkpoint leaves some layers unquantized ({count} in all); they run in {dtype}: {layers}.</source>
        <translation>此 {method} 检查点有部分层未量化（共 {count} 个），它们以 {dtype} 运行：{layers}。</translation>
    </message>
    <message>
        <source>Nothing to do; they take {bytes} of the memory estimate.</source>
        <translation>无需操作；它们在内存估算中占 {bytes}。</translation>
    </message>
    <message>
        <source>Tensor &apos;{tensor}&apos; is empty (shape {shape}), so layer &apos;{layer}&apos; cannot be dequantized.</source>
        <translation>张量“{tensor}”为空（形状 {shape}），因此层“{layer}”无法反量化。</translation>
    </message>
    <message>
        <source>The file is damaged or was written by a faulty quantizer: download the model again, or use another quantization of it.</source>
        <translation>文件已损坏，或由有缺陷的量化工具写出：请重新下载模型，或使用它的其他量化版本。</translation>
    </message>
    <message>
        <source>The model has no tensor &apos;{tensor}&apos;, which the {arch} architecture needs ({count} missing in all).</source>
        <translation>模型缺少 {arch} 架构所需的张量“{tensor}”（共缺少 {count} 个）。</translation>
    </message>
    <message>
        <source>The download may be incomplete, or the file is another variant of the model: download it again, or check that config.json belongs to these weights.</source>
        <translation>可能下载不完整，或文件是该模型的其他变体：请重新下载，或检查 config.json 是否与这些权重相符。</translation>
    </message>
    <message>
        <source>The model has {count} tensors that the {arch} architecture has no place for, such as &apos;{tensor}&apos;.</source>
        <translation>模型有 {count} 个 {arch} 架构用不到的张量，例如“{tensor}”。</translation>
    </message>
    <message>
        <source>This is probably another variant (a vision or multimodal model, extra heads): choose the text-only checkpoint of the model.</source>
        <translation>这可能是其他变体（视觉或多模态模型、额外的输出头）：请选择该模型的纯文本检查点。</translation>
    </message>
    <message>
        <source>{chunked} of the {layers} layers attend only within chunks of {chunk} tokens (chunked local attention); the other {global} attend to the whole context without RoPE. The {path} attention path handles both, also with the {kv} KV cache.</source>
        <translation>{layers} 个层中有 {chunked} 个只在 {chunk} 个词元的块内计算注意力（分块局部注意力）；其余 {global} 个层不使用 RoPE，关注整个上下文。{path} 注意力路径可同时处理这两种情况，使用 {kv} KV 缓存时也一样。</translation>
    </message>
    <message>
        <source>The model will run on the CPU: {reason}.</source>
        <translation>模型将在 CPU 上运行：{reason}。</translation>
    </message>
    <message>
        <source>There is no {device} on this machine.</source>
        <translation>此计算机上没有 {device}。</translation>
    </message>
    <message>
        <source>Choose Auto or CPU in Device.</source>
        <translation>请在“设备”中选择“自动”或 CPU。</translation>
    </message>
    <message>
        <source>You asked for {requested} weights, but the CPU engine runs weights in their stored type ({stored}) and cannot convert them yet.</source>
        <translation>你选择了 {requested} 权重，但 CPU 引擎按存储类型（{stored}）运行权重，目前还不能转换。</translation>
    </message>
    <message>
        <source>Choose Auto in Weights (or FP32, which the CPU computes in anyway).</source>
        <translation>请在“权重”中选择“自动”（或 FP32，CPU 本来就以它计算）。</translation>
    </message>
    <message>
        <source>The model has no chat template, so Hearth formats chats with its {family} fallback.</source>
        <translation>模型没有聊天模板，因此 Hearth 使用其 {family} 备用格式来组织对话。</translation>
    </message>
    <message>
        <source>Chat should work; if replies look odd, use a model file that includes a chat template.</source>
        <translation>聊天应可正常进行；如果回复看起来异常，请使用包含聊天模板的模型文件。</translation>
    </message>
    <message>
        <source>Measured on this model: mean KL divergence %1 nats per token; the most likely next token is the same as with a 16-bit cache %2% of the time.</source>
        <translation>在此模型上的测量结果：每个词元的平均 KL 散度为 %1 奈特；最可能的下一个词元与 16 位缓存相同的比例为 %2%。</translation>
    </message>
    <message>
        <source>Suggestion:</source>
        <translation>建议：</translation>
    </message>
    <message>
        <source>{alternatives}</source>
        <translation>{alternatives}</translation>
    </message>
    <message>
        <source>Expect slower answers than on a GPU.{extra}</source>
        <translation>回答会比在 GPU 上慢。{extra}</translation>
    </message>
    <message>
        <source>Hearth&apos;s CUDA backend is not built yet, so the %1 cannot be used</source>
        <translation>Hearth 的 CUDA 后端尚未构建，因此无法使用 %1</translation>
    </message>
    <message>
        <source>the model needs %1 for its weights, more than the %2&apos;s %3</source>
        <translation>模型的权重需要 %1，超过了 %2 的 %3</translation>
    </message>
    <message>
        <source>A quantized file of the model may fit the GPU.</source>
        <translation>该模型的量化文件也许能放进 GPU。</translation>
    </message>
    <message>
        <source>Choose CPU in Device: the computer has %1 of memory available.</source>
        <translation>请在“设备”中选择 CPU：这台电脑有 %1 可用内存。</translation>
    </message>
    <message>
        <source>Use a Q4_K_M GGUF file of this model (about %1 of weights).</source>
        <translation>使用此模型的 Q4_K_M GGUF 文件（权重约 %1）。</translation>
    </message>
    <message>
        <source>Close other programs to free memory, or use a smaller model.</source>
        <translation>关闭其他程序以释放内存，或改用更小的模型。</translation>
    </message>
    <message>
        <source>no CPU kernel for %1</source>
        <translation>没有适用于 %1 的 CPU 内核</translation>
    </message>
    <message>
        <source>%1, groups of %2, found in quantization_config</source>
        <translation>%1，每组 %2，见于 quantization_config</translation>
    </message>
    <message>
        <source>%1, found in quantization_config</source>
        <translation>%1，见于 quantization_config</translation>
    </message>
    <message>
        <source>compute capability %1 or newer</source>
        <translation>计算能力 %1 或更高</translation>
    </message>
    <message>
        <source>a CPU with AVX2</source>
        <translation>支持 AVX2 的 CPU</translation>
    </message>
</context>
<context>
    <name>LoadOptionsDialog</name>
    <message>
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Suggestion:</source>
        <translation>建议：</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>加载 %1</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>Auto (the stored type where this device supports it)</source>
        <translation>自动（在此设备支持时使用存储类型）</translation>
    </message>
    <message>
        <source>FP32</source>
        <translation>FP32</translation>
    </message>
    <message>
        <source>FP16</source>
        <translation>FP16</translation>
    </message>
    <message>
        <source>BF16</source>
        <translation>BF16</translation>
    </message>
    <message>
        <source>&amp;Weights:</source>
        <translation>权重(&amp;W)：</translation>
    </message>
    <message>
        <source>Auto (the compute type)</source>
        <translation>自动（计算类型）</translation>
    </message>
    <message>
        <source>FP8 E4M3 (half the memory of FP16)</source>
        <translation>FP8 E4M3（内存为 FP16 的一半）</translation>
    </message>
    <message>
        <source>FP8 E5M2 (coarser)</source>
        <translation>FP8 E5M2（精度更低）</translation>
    </message>
    <message>
        <source>&amp;KV cache:</source>
        <translation>KV 缓存(&amp;K)：</translation>
    </message>
    <message>
        <source>Auto (the model&apos;s, up to 4,096, shrunk to what fits)</source>
        <translation>自动（模型自身的长度，最多 4,096，并缩减到可容纳的长度）</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <source>&amp;Context length:</source>
        <translation>上下文长度(&amp;C)：</translation>
    </message>
    <message>
        <source>Auto (a GPU if there is one)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>设备(&amp;D)：</translation>
    </message>
    <message>
        <source>What Hearth will do, and what you should know</source>
        <translation>Hearth 将如何运行，以及您需要了解的事项</translation>
    </message>
    <message>
        <source>Copy all findings</source>
        <translation>复制全部检查结果</translation>
    </message>
    <message>
        <source>FP8 KV cache quality</source>
        <translation>FP8 KV 缓存质量</translation>
    </message>
    <message>
        <source>Measure quality</source>
        <translation>测量质量</translation>
    </message>
    <message>
        <source>Runs a built-in text of about 512 tokens through the loaded model with this KV cache and with FP16, and compares the next-token predictions.</source>
        <translation>用此 KV 缓存和 FP16 缓存分别让已加载的模型读取一段约 512 个词元的内置文本，并比较对下一个词元的预测。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>加载(&amp;L)</translation>
    </message>
    <message>
        <source>the CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>This combination cannot be loaded: see the refusals below.</source>
        <translation>此组合无法加载：请查看下面的拒绝原因。</translation>
    </message>
    <message>
        <source>Runs on %1 (%2). Weights: %3; compute: %4; KV cache: %5. Context: %6 tokens (up to %7 fit).</source>
        <translation>运行于 %1（%2）。权重：%3；计算：%4；KV 缓存：%5。上下文：%6 个词元（最多可容纳 %7 个）。</translation>
    </message>
    <message>
        <source>The planner refuses these options; the findings say what to choose instead.</source>
        <translation>规划器拒绝了这些选项；检查结果说明了应改选什么。</translation>
    </message>
    <message>
        <source>BF16 needs compute capability 8.0; this GPU has %1</source>
        <translation>BF16 需要计算能力 8.0；此 GPU 为 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Not available here — %1</source>
        <translation>此处不可用 — %1</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this finding&apos;s code, message and suggestion</source>
        <translation>复制此检查结果的代码、说明和建议</translation>
    </message>
    <message>
        <source>Nothing to report: this model runs as it is stored.</source>
        <translation>没有需要报告的内容：此模型按存储的格式运行。</translation>
    </message>
    <message>
        <source>Load and measure quality</source>
        <translation>加载并测量质量</translation>
    </message>
    <message>
        <source>Not measured yet. The measurement compares this cache with FP16 on the loaded model, on a built-in text; it takes a few seconds on small models.</source>
        <translation>尚未测量。测量会在已加载的模型上用内置文本比较此缓存与 FP16 缓存；小模型只需几秒钟。</translation>
    </message>
    <message>
        <source>The model cannot be loaded on this machine to measure it; see the findings.</source>
        <translation>无法在本机上加载此模型进行测量；请查看检查结果。</translation>
    </message>
    <message>
        <source>Loading the model to measure it…</source>
        <translation>正在加载模型以进行测量…</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The model could not be loaded: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>Measurement cancelled.</source>
        <translation>测量已取消。</translation>
    </message>
    <message>
        <source>The measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <source>no visible effect expected</source>
        <translation>预计不会有可见影响</translation>
    </message>
    <message>
        <source>small differences; answers may now and then be worded differently</source>
        <translation>差异很小；回答偶尔可能措辞不同</translation>
    </message>
    <message>
        <source>noticeable differences; prefer an FP16 KV cache</source>
        <translation>差异明显；建议使用 FP16 KV 缓存</translation>
    </message>
    <message>
        <source>Next-token distributions differ by %1 nats on average — %2.</source>
        <translation>下一个词元的概率分布平均相差 %1 奈特 — %2。</translation>
    </message>
    <message>
        <source>The most likely next token is the same at %1% of %2 positions; the worst position differs by %3 nats.</source>
        <translation>在 %2 个位置中，有 %1% 的位置最可能的下一个词元相同；差异最大的位置相差 %3 奈特。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Hearth</source>
        <translation>Hearth</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a .gguf file or a file of a Hugging Face model</source>
        <translation>打开 .gguf 文件或 Hugging Face 模型中的文件</translation>
    </message>
    <message>
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;About Hearth</source>
        <translation>关于 Hearth(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 参数</translation>
    </message>
    <message>
        <source>Could not read %1</source>
        <translation>无法读取 %1</translation>
    </message>
    <message>
        <source>Inspecting %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Models (*.gguf config.json *.safetensors *.safetensors.index.json)</source>
        <translation>模型 (*.gguf config.json *.safetensors *.safetensors.index.json)</translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF 文件 (*.gguf)</translation>
    </message>
    <message>
        <source>Hugging Face files (config.json *.safetensors *.safetensors.index.json)</source>
        <translation>Hugging Face 文件 (config.json *.safetensors *.safetensors.index.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>打开模型文件夹</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Model details</source>
        <translation>模型详情</translation>
    </message>
    <message>
        <source>&amp;Load model for chat…</source>
        <translation>加载聊天模型(&amp;L)…</translation>
    </message>
    <message>
        <source>Choose a model and load it to chat with</source>
        <translation>选择一个模型并加载，用于聊天</translation>
    </message>
    <message>
        <source>Load the &amp;opened model</source>
        <translation>加载已打开的模型(&amp;O)</translation>
    </message>
    <message>
        <source>Load the model shown under Model details to chat with</source>
        <translation>加载“模型详情”中显示的模型用于聊天</translation>
    </message>
    <message>
        <source>&amp;Unload model</source>
        <translation>卸载模型(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Export conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the conversation on screen as Markdown or JSON</source>
        <translation>将当前对话保存为 Markdown 或 JSON</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop loading the model</source>
        <translation>停止加载模型</translation>
    </message>
    <message>
        <source>Conversations Not Saved</source>
        <translation>对话不会被保存</translation>
    </message>
    <message>
        <source>Conversations cannot be saved in this session:
%1</source>
        <translation>本次会话中的对话无法保存：
%1</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Load Model</source>
        <translation>加载模型</translation>
    </message>
    <message>
        <source>Chatting with %1</source>
        <translation>正在与 %1 聊天</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 · KV cache %2 · context %3</source>
        <translation>%1 · KV 缓存 %2 · 上下文 %3</translation>
    </message>
    <message>
        <source>Loading %1 was cancelled</source>
        <translation>已取消加载 %1</translation>
    </message>
    <message>
        <source>Could not load %1</source>
        <translation>无法加载 %1</translation>
    </message>
    <message>
        <source>KV cache %1% used</source>
        <translation>KV 缓存已用 %1%</translation>
    </message>
    <message>
        <source>%1 of %2 blocks of %3 tokens; %4 tokens/s</source>
        <translation>已用 %1/%2 个块（每块 %3 个词元）；%4 词元/秒</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export Conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Export Failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>模型(&amp;M)…</translation>
    </message>
    <message>
        <source>The models in the models folder: import, load with options, delete</source>
        <translation>模型文件夹中的模型：导入、按选项加载、删除</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>MemoryBar</name>
    <message>
        <source>Weights %1 · KV cache %2 · Other %3</source>
        <translation>权重 %1 · KV 缓存 %2 · 其他 %3</translation>
    </message>
    <message>
        <source> · Free %1 of %2</source>
        <translation> · 空闲 %1（共 %2）</translation>
    </message>
    <message>
        <source> · %1 more than the %2 available</source>
        <translation> · 比可用的 %2 多出 %1</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>以 Markdown 复制此消息</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Could not answer: %1</source>
        <translation>无法回答：%1</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>tokens: %1 generated, %2 in the prompt</source>
        <translation>词元：生成 %1，提示 %2</translation>
    </message>
    <message>
        <source>tokens: %1 generated</source>
        <translation>词元：生成 %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>正在输出…</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>interrupted (Hearth closed while it was being written)</source>
        <translation>已中断（输出过程中 Hearth 被关闭）</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Change this message and send it again; the answers after it are replaced</source>
        <translation>修改这条消息并重新发送；其后的回答将被替换</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the changed message; the answers after it are replaced</source>
        <translation>发送修改后的消息；其后的回答将被替换</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ModelInfoView</name>
    <message>
        <source>Open a model file (.gguf) or a Hugging Face folder to see what is inside.</source>
        <translation>打开模型文件（.gguf）或 Hugging Face 文件夹，查看其中的内容。</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Open model folder…</source>
        <translation>打开模型文件夹…</translation>
    </message>
    <message>
        <source>Filter tensors by name or type</source>
        <translation>按名称或类型筛选张量</translation>
    </message>
    <message>
        <source>Open another model…</source>
        <translation>打开其他模型…</translation>
    </message>
    <message>
        <source>Could not read “%1”</source>
        <translation>无法读取“%1”</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>GGUF (version %1)</source>
        <translation>GGUF（版本 %1）</translation>
    </message>
    <message>
        <source>Hugging Face (safetensors)</source>
        <translation>Hugging Face（safetensors）</translation>
    </message>
    <message>
        <source>Size on disk:</source>
        <translation>磁盘占用：</translation>
    </message>
    <message>
        <source>%1 in %2 files</source>
        <translation>%1，共 %2 个文件</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>架构：</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>参数量：</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Hidden size:</source>
        <translation>隐藏层维度：</translation>
    </message>
    <message>
        <source>Feed-forward size:</source>
        <translation>前馈层维度：</translation>
    </message>
    <message>
        <source>Attention heads:</source>
        <translation>注意力头：</translation>
    </message>
    <message>
        <source>%1 query, %2 key/value</source>
        <translation>%1 个查询头，%2 个键/值头</translation>
    </message>
    <message>
        <source>Head size:</source>
        <translation>头维度：</translation>
    </message>
    <message>
        <source>Vocabulary:</source>
        <translation>词表大小：</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>上下文长度：</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1, on %2 of %3 layers</source>
        <translation>%1，用于 %3 层中的 %2 层</translation>
    </message>
    <message>
        <source>Sliding window:</source>
        <translation>滑动窗口：</translation>
    </message>
    <message>
        <source>Chunked attention:</source>
        <translation>分块注意力：</translation>
    </message>
    <message>
        <source>%1 experts, %2 used per token</source>
        <translation>%1 个专家，每个词元使用 %2 个</translation>
    </message>
    <message>
        <source>%1, %2 shared</source>
        <translation>%1，另有 %2 个共享专家</translation>
    </message>
    <message>
        <source>Mixture of experts:</source>
        <translation>混合专家：</translation>
    </message>
    <message>
        <source>%1, %2 scaling × %3</source>
        <translation>%1，%2 缩放 × %3</translation>
    </message>
    <message>
        <source>RoPE base:</source>
        <translation>RoPE 基数：</translation>
    </message>
    <message>
        <source>%1 %2%</source>
        <translation>%1 %2%</translation>
    </message>
    <message>
        <source>Stored types:</source>
        <translation>存储类型：</translation>
    </message>
    <message>
        <source>Declared type:</source>
        <translation>声明类型：</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1-bit</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <source>one group per output channel</source>
        <translation>每个输出通道一组</translation>
    </message>
    <message>
        <source>group size %1</source>
        <translation>分组大小 %1</translation>
    </message>
    <message>
        <source>activation order</source>
        <translation>激活顺序</translation>
    </message>
    <message>
        <source>symmetric</source>
        <translation>对称</translation>
    </message>
    <message>
        <source>asymmetric</source>
        <translation>非对称</translation>
    </message>
    <message>
        <source>not quantized: %1</source>
        <translation>未量化：%1</translation>
    </message>
    <message>
        <source>Quantization:</source>
        <translation>量化：</translation>
    </message>
    <message>
        <source>%1, %2 tokens</source>
        <translation>%1，%2 个词元</translation>
    </message>
    <message>
        <source>%1 (from %2)</source>
        <translation>%1（来自 %2）</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>分词器：</translation>
    </message>
    <message>
        <source>Chat template:</source>
        <translation>聊天模板：</translation>
    </message>
    <message>
        <source>included</source>
        <translation>包含</translation>
    </message>
    <message>
        <source>Tensors: %1</source>
        <translation>张量：%1</translation>
    </message>
    <message>
        <source>Tensors: %1 of %2</source>
        <translation>张量：%1 / %2</translation>
    </message>
    <message>
        <source>%1 (sliding-window layers: %2)</source>
        <translation>%1（滑动窗口层：%2）</translation>
    </message>
</context>
<context>
    <name>ModelListModel</name>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Fits on GPU</source>
        <translation>可在 GPU 上运行</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>Does not fit</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Cannot load</source>
        <translation>无法加载</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>On this machine</source>
        <translation>在本机上</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <source>Change folder…</source>
        <translation>更改文件夹…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>No models here yet. Import a .gguf file or a Hugging Face model folder, or drop one anywhere on this window.</source>
        <translation>这里还没有模型。请导入 .gguf 文件或 Hugging Face 模型文件夹，或将其拖放到此窗口的任意位置。</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>导入文件夹…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>加载…</translation>
    </message>
    <message>
        <source>Models folder: %1</source>
        <translation>模型文件夹：%1</translation>
    </message>
    <message>
        <source>Could not link %1 into the models folder %2.</source>
        <translation>无法将 %1 链接到模型文件夹 %2。</translation>
    </message>
    <message>
        <source>Delete Model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Remove %1 from the models folder? The model itself stays where it is:
%2</source>
        <translation>要从模型文件夹中移除 %1 吗？模型本身仍保留在原处：
%2</translation>
    </message>
    <message>
        <source>Delete %1 from disk? This cannot be undone.</source>
        <translation>要从磁盘删除 %1 吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Could not delete %1.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>Import Model</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF 文件 (*.gguf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Import Hugging Face Model Folder</source>
        <translation>导入 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>Models Folder</source>
        <translation>模型文件夹</translation>
    </message>
</context>
<context>
    <name>ModelValidator</name>
    <message>
        <source>Runs on the %1: it needs about %2 of the %3 available.</source>
        <translation>运行于 %1：需要约 %2，可用 %3。</translation>
    </message>
    <message>
        <source>Runs on the CPU: this machine has no usable NVIDIA GPU (%1).</source>
        <translation>运行于 CPU：本机没有可用的 NVIDIA GPU（%1）。</translation>
    </message>
    <message>
        <source>Runs on the CPU.</source>
        <translation>运行于 CPU。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>New answers</source>
        <translation>新回答</translation>
    </message>
    <message>
        <source>Higher is more varied, 0 always picks the most likely word</source>
        <translation>越高越多样；0 总是选择最可能的词</translation>
    </message>
    <message>
        <source>Sample from the most likely tokens that together make up this share; 1 is off</source>
        <translation>只从累计概率达到此比例的最可能词元中采样；1 表示关闭</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Sample from this many most likely tokens only; 0 is off</source>
        <translation>只从这么多个最可能的词元中采样；0 表示关闭</translation>
    </message>
    <message>
        <source>The longest answer, in tokens</source>
        <translation>回答的最大长度（以词元计）</translation>
    </message>
    <message>
        <source>None: the model&apos;s own default</source>
        <translation>无：使用模型自带的默认设置</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T)：</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-p(&amp;P)：</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-k(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Max tokens per answer:</source>
        <translation>每个回答的最大词元数(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;System prompt:</source>
        <translation>系统提示词(&amp;S)：</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Models &amp;folder:</source>
        <translation>模型文件夹(&amp;F)：</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>A new language applies the next time Hearth starts.</source>
        <translation>新的语言将在下次启动 Hearth 时生效。</translation>
    </message>
    <message>
        <source>Follow the system &amp;theme</source>
        <translation>跟随系统主题(&amp;T)</translation>
    </message>
    <message>
        <source>Use the desktop&apos;s style and colours; applies at once</source>
        <translation>使用桌面的样式和颜色；立即生效</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Theme &amp;otherwise:</source>
        <translation>否则使用的主题(&amp;O)：</translation>
    </message>
    <message>
        <source>Models Folder</source>
        <translation>模型文件夹</translation>
    </message>
</context>
<context>
    <name>TensorTableModel</name>
    <message>
        <source>%1 elements</source>
        <translation>%1 个元素</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Byte offset in %1</source>
        <translation>在 %1 中的字节偏移</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节数</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>偏移</translation>
    </message>
</context>
</TS>
