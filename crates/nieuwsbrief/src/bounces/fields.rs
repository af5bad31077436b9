//! Header-style fields as RFC 3464 and RFC 5965 write them: `Name: value` lines, continued on
//! lines that start with white space, in blocks separated by an empty line. Also the returned
//! message's headers are read this way (only the few fields that matter here).

/// One block of fields, names in lower case, in their order.
pub type Block = Vec<(String, String)>;

/// The blocks of `text` (empty blocks left out). Lines without a colon are skipped.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut block: Block = Vec::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if !block.is_empty() {
                blocks.push(std::mem::take(&mut block));
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = block.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            block.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    if !block.is_empty() {
        blocks.push(block);
    }
    blocks
}

/// The headers of a message: its first block only (the body does not count).
pub fn headers(text: &str) -> Block {
    let end = text
        .find("\r\n\r\n")
        .or_else(|| text.find("\n\n"))
        .unwrap_or(text.len());
    blocks(&text[..end]).into_iter().next().unwrap_or_default()
}

/// The first value of the field `name` (lower case).
pub fn get<'b>(block: &'b Block, name: &str) -> Option<&'b str> {
    block
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// The address of a recipient field: `rfc822; Jan@Example.org` → `jan@example.org` (the type
/// prefix is optional, angle brackets are taken off). None if it does not look like an address.
pub fn address(value: &str) -> Option<String> {
    let value = match value.split_once(';') {
        Some((_, rest)) => rest,
        None => value,
    };
    let value = match (value.find('<'), value.rfind('>')) {
        (Some(start), Some(end)) if start < end => &value[start + 1..end],
        _ => value,
    };
    let address = value.trim().to_lowercase();
    let (local, domain) = address.split_once('@')?;
    let plain = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '@');
    (plain(local) && plain(domain) && address.len() <= 320).then_some(address)
}

/// A Message-ID without its angle brackets and white space.
pub fn message_id(value: &str) -> Option<String> {
    let id = value
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty() && id.len() <= 500).then(|| id.to_string())
}

/// The campaign and the subscriber of one of our Message-IDs, `{campaign}.{subscriber}@host`
/// (both ids are hex, so the dot cannot be part of either).
pub fn ids_of_message_id(id: &str) -> Option<(String, String)> {
    let (local, _) = id.rsplit_once('@')?;
    let (campaign, subscriber) = local.split_once('.')?;
    let id_like = |s: &str| {
        !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    (id_like(campaign) && id_like(subscriber))
        .then(|| (campaign.to_string(), subscriber.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_unfolded_and_separated() {
        let text = "Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; A@B.be\r\nDiagnostic-Code: smtp; 550\r\n  no such user\r\n";
        let b = blocks(text);
        assert_eq!(b.len(), 2);
        assert_eq!(
            get(&b[1], "diagnostic-code"),
            Some("smtp; 550 no such user")
        );
        assert_eq!(
            address(get(&b[1], "final-recipient").unwrap()).as_deref(),
            Some("a@b.be")
        );
    }

    #[test]
    fn our_message_ids_name_campaign_and_subscriber() {
        assert_eq!(
            ids_of_message_id("0190abc.0190def@nieuwsbrief.example.org"),
            Some(("0190abc".into(), "0190def".into()))
        );
        assert_eq!(ids_of_message_id("random@gmail.com"), None);
    }
}
