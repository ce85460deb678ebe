// Texts of the reviewer screens (namespace "reviewer"); the same keys in both languages.
const az = {
  title: 'reviewer',
};

const en: typeof az = {
  title: 'reviewer',
};

export default { az, en };
